-- wrk script for POST /v1/referrals: the body (the enrolled bench participant, a mapping
-- activity, a statutory basis) is written by bench/run.py before the run.
local file = io.open("bench/referral.body.json")
local body = file:read("*a")
file:close()

function request()
  -- Passing headers replaces the -H ones (the token), so merge them.
  local headers = {["Content-Type"] = "application/json"}
  for name, value in pairs(wrk.headers) do
    headers[name] = value
  end
  return wrk.format("POST", "/v1/referrals", headers, body)
end
