// The referral loop through a client generated from openapi.yaml (openapi-typescript types,
// openapi-fetch calls): intake → enrol → plan → approve → referral → accept. Every request and
// response body is typed by the generated schema, so a spec that drifts from the server or
// generates awkward types fails here (tsc) or at run time (the checks below).
import { execFileSync } from "node:child_process";
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/schema.js";

type Schemas = components["schemas"];

const api = process.env.API ?? "http://127.0.0.1:18091";
const binary = process.env.JOBBTORG_BIN ?? "../../../target/debug/jobbtorg-api";
const client = createClient<paths>({ baseUrl: api });

/** A development token from the server binary (needs JWT_HS256_SECRET in the environment). */
function token(...args: string[]): string {
  return execFileSync(binary, ["token", ...args], { encoding: "utf8" }).trim();
}

function auth(bearer: string): { Authorization: string } {
  return { Authorization: `Bearer ${bearer}` };
}

function check<T>(what: string, result: { data?: T; error?: unknown; response: Response }): { body: T; etag: string } {
  if (result.data === undefined) {
    throw new Error(`${what}: HTTP ${result.response.status} ${JSON.stringify(result.error)}`);
  }
  console.log(`ok ${what} (${result.response.status})`);
  return { body: result.data, etag: result.response.headers.get("ETag") ?? "" };
}

function equal(what: string, actual: unknown, expected: unknown): void {
  if (actual !== expected) throw new Error(`${what}: expected ${String(expected)}, got ${String(actual)}`);
}

/** A valid personnummer `YYYYMMDD-NNNC` (Luhn over the last ten digits but one). */
function personnummer(birth: string, serial: number): string {
  const digits = `${birth.slice(2)}${String(serial).padStart(3, "0")}`;
  const sum = [...digits].reduce((acc, ch, i) => {
    const d = Number(ch) * (i % 2 === 0 ? 2 : 1);
    return acc + Math.floor(d / 10) + (d % 10);
  }, 0);
  return `${birth}-${String(serial).padStart(3, "0")}${(10 - (sum % 10)) % 10}`;
}

function orgNumber(n: number): string {
  const nine = `556${String(n).padStart(6, "0")}`;
  const sum = [...nine].reduce((acc, ch, i) => {
    const d = Number(ch) * (i % 2 === 0 ? 2 : 1);
    return acc + Math.floor(d / 10) + (d % 10);
  }, 0);
  return `${nine.slice(0, 6)}-${nine.slice(6)}${(10 - (sum % 10)) % 10}`;
}

// Dates as the server reads them: in Stockholm (sv-SE formats as YYYY-MM-DD), not in UTC, so
// the scenario holds in the hour or two around midnight too.
const stockholmDate = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Stockholm" });
const day = (offset: number): string => stockholmDate.format(new Date(Date.now() + offset * 86_400_000));

async function main(): Promise<void> {
  const officer = token("--role", "district_officer", "--district", "rinkeby-kista", "--sub", "officer-ts");
  const coach = token("--role", "coach", "--jobbtorg", "jarva", "--sub", "coach-ts");
  const purchaser = token("--role", "contract_manager", "--sub", "purchaser-ts");

  // The purchaser registers a provider and a contract covering work training at Järva.
  const providerRequest: Schemas["CreateProviderRequest"] = {
    org_number: orgNumber(101),
    name: "Typade Vägar AB",
    kind: "lou",
    contacts: [{ name: "Referral desk", email: "desk@example.se" }],
  };
  const provider = check(
    "create provider",
    await client.POST("/v1/providers", { body: providerRequest, headers: auth(purchaser) }),
  ).body;
  check(
    "create contract",
    await client.POST("/v1/providers/{provider_id}/contracts", {
      params: { path: { provider_id: provider.id } },
      headers: auth(purchaser),
      body: {
        reference: "SDK-TS-1",
        procurement_form: "lou_framework",
        valid_from: day(-30),
        valid_to: day(365),
        activity_types: ["work_training"],
        target_groups: ["social_assistance_unemployed"],
        job_centres: ["jarva"],
        capacity: 10,
        start_fee_ore: 500_000,
        result_steps: [{ trigger: "employment_or_studies_started", amount_ore: 1_500_000 }],
      },
    }),
  );

  // Intake by the home district.
  const intake: Schemas["CreateParticipantRequest"] = {
    personal_identity_number: personnummer("19860412", 101),
    first_name: "Amina",
    last_name: "Hassan",
    home_district_id: "rinkeby-kista",
    target_groups: ["social_assistance_unemployed"],
    referral_reason: "Unemployed for 14 months.",
    requested_start: day(0),
  };
  let participant = check("intake", await client.POST("/v1/participants", { body: intake, headers: auth(officer) }));
  equal("status after intake", participant.body.status, "referred");

  // Enrolment at the job centre.
  const enrolled = check(
    "enrol",
    await client.POST("/v1/participants/{participant_id}/enrol", {
      params: { path: { participant_id: participant.body.id }, header: { "If-Match": participant.etag } },
      headers: auth(coach),
      body: { arrived_on: day(0), coach_id: "coach-ts" },
    }),
  );
  equal("status after enrolment", enrolled.body.status, "enrolled");
  participant = enrolled;

  // A plan with one activity, submitted, approved by the district.
  let plan = check(
    "create plan",
    await client.POST("/v1/participants/{participant_id}/activity-plans", {
      params: { path: { participant_id: participant.body.id } },
      headers: auth(coach),
      body: { valid_from: day(0), valid_to: day(90), goal: "Warehouse work" },
    }),
  );
  plan = check(
    "add activity",
    await client.POST("/v1/activity-plans/{plan_id}/activities", {
      params: { path: { plan_id: plan.body.id }, header: { "If-Match": plan.etag } },
      headers: auth(coach),
      body: {
        activity_type: "work_training",
        description: "Work training at a warehouse",
        provider_kind: "external",
        starts_on: day(0),
        ends_on: day(60),
        hours_per_week: 30,
      },
    }),
  );
  const activityId = plan.body.activities[0]?.id;
  if (activityId === undefined) throw new Error("the plan has no activity");
  plan = check(
    "submit plan",
    await client.POST("/v1/activity-plans/{plan_id}/submit", {
      params: { path: { plan_id: plan.body.id }, header: { "If-Match": plan.etag } },
      headers: auth(coach),
    }),
  );
  plan = check(
    "approve plan",
    await client.POST("/v1/activity-plans/{plan_id}/approve", {
      params: { path: { plan_id: plan.body.id }, header: { "If-Match": plan.etag } },
      headers: auth(officer),
    }),
  );
  equal("plan status", plan.body.status, "approved");

  // The referral, allocated neutrally, and the provider's acceptance.
  const referral = check(
    "send referral",
    await client.POST("/v1/referrals", {
      headers: { ...auth(coach), "Idempotency-Key": `sdk-ts-${participant.body.id}` },
      body: { participant_id: participant.body.id, activity_id: activityId, statutory_basis: "SoL 4 kap. 4 §" },
    }),
  );
  equal("referral status", referral.body.status, "sent");
  const staff = token("--role", "provider_staff", "--provider", referral.body.provider_id, "--sub", "staff-ts");
  const accepted = check(
    "accept referral",
    await client.POST("/v1/referrals/{referral_id}/accept", {
      params: { path: { referral_id: referral.body.id }, header: { "If-Match": referral.etag } },
      headers: auth(staff),
    }),
  );
  equal("referral status after accept", accepted.body.status, "accepted");

  // A typed problem document for a stale version.
  const stale = await client.POST("/v1/referrals/{referral_id}/accept", {
    params: { path: { referral_id: referral.body.id }, header: { "If-Match": referral.etag } },
    headers: auth(staff),
  });
  equal("stale accept status", stale.response.status, 412);
  equal("stale accept problem code", stale.error?.code, "precondition_failed");
  console.log("typescript scenario passed");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
