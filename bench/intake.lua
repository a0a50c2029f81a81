-- wrk script for POST /v1/participants: every request refers a different person, so the
-- identity numbers never collide across threads (each thread walks its own range of 500,000,
-- about a year and a half of birth dates from 1971; INTAKE_SLOT shifts the ranges, so two wrk
-- processes on one database do not collide either).
local threads = tonumber(os.getenv("INTAKE_SLOT") or "0")

function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

local counter = 0

local function luhn(nine)
  local sum = 0
  for i = 1, 9 do
    local d = tonumber(nine:sub(i, i)) * ((i % 2 == 1) and 2 or 1)
    sum = sum + math.floor(d / 10) + d % 10
  end
  return (10 - sum % 10) % 10
end

function request()
  counter = counter + 1
  local index = tid * 500000 + counter
  local date = os.date("!*t", os.time({year = 1971, month = 1, day = 1, hour = 12}) + math.floor(index / 900) * 86400)
  local serial = 100 + index % 900
  local yymmdd = string.format("%02d%02d%02d", date.year % 100, date.month, date.day)
  local nine = yymmdd .. string.format("%03d", serial)
  local pnr = string.format("%04d%02d%02d-%03d%d", date.year, date.month, date.day, serial, luhn(nine))
  local body = '{"personal_identity_number":"' .. pnr .. '","first_name":"Bench","last_name":"Person",' ..
    '"home_district_id":"rinkeby-kista","target_groups":["social_assistance_unemployed"],' ..
    '"referral_reason":"Benchmark intake.","requested_start":"2026-12-01"}'
  -- Passing headers replaces the -H ones (the token), so merge them.
  local headers = {["Content-Type"] = "application/json"}
  for name, value in pairs(wrk.headers) do
    headers[name] = value
  end
  return wrk.format("POST", "/v1/participants", headers, body)
end
