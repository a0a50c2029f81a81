"""The referral loop through a client generated from openapi.yaml by openapi-python-client:
intake -> enrol -> plan -> approve -> referral -> accept, with the generated models and
operations only (no hand-written requests), against a live server."""

import datetime
import zoneinfo
import os
import subprocess
import sys

from jobbtorg_api_client import AuthenticatedClient
from jobbtorg_api_client.api.activity_plans import add_activity, approve_plan, create_plan, submit_plan
from jobbtorg_api_client.api.participants import create_participant, enrol_participant
from jobbtorg_api_client.api.providers import create_contract, create_provider
from jobbtorg_api_client.api.referrals import accept_referral, create_referral
from jobbtorg_api_client.models import (
    ActivityProviderKindCode,
    ActivityRequest,
    Contact,
    CreateContractRequest,
    CreateParticipantRequest,
    CreatePlanRequest,
    CreateProviderRequest,
    CreateReferralRequest,
    EnrolRequest,
    OrganisationKindCode,
    ParticipantStatusCode,
    PlanStatusCode,
    Problem,
    ProcurementFormCode,
    ReferralStatusCode,
    ResultStep,
    ResultStepTriggerCode,
)
from jobbtorg_api_client.types import Response

API = os.environ.get("API", "http://127.0.0.1:18091")
BINARY = os.environ.get("JOBBTORG_BIN", "../../../target/debug/jobbtorg-api")
# The server's dates are Stockholm's, not the machine's time zone's.
TODAY = datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Stockholm")).date()


def token(*args: str) -> str:
    """A development token from the server binary (JWT_HS256_SECRET is in the environment)."""
    return subprocess.run([BINARY, "token", *args], check=True, capture_output=True, text=True).stdout.strip()


def client(bearer: str) -> AuthenticatedClient:
    return AuthenticatedClient(base_url=API, token=bearer, raise_on_unexpected_status=True)


def check(what: str, response: Response, status: int = 200):
    if response.status_code != status or isinstance(response.parsed, Problem):
        raise AssertionError(f"{what}: HTTP {response.status_code} {response.content!r}")
    print(f"ok {what} ({response.status_code})")
    return response.parsed, response.headers.get("ETag", "")


def equal(what: str, actual, expected) -> None:
    if actual != expected:
        raise AssertionError(f"{what}: expected {expected!r}, got {actual!r}")


def luhn_digit(digits: str) -> int:
    total = 0
    for i, ch in enumerate(digits):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d // 10 + d % 10
    return (10 - total % 10) % 10


def personnummer(birth: str, serial: int) -> str:
    return f"{birth}-{serial:03}{luhn_digit(birth[2:] + f'{serial:03}')}"


def org_number(n: int) -> str:
    nine = f"556{n:06}"
    return f"{nine[:6]}-{nine[6:]}{luhn_digit(nine)}"


def main() -> None:
    officer = client(token("--role", "district_officer", "--district", "rinkeby-kista", "--sub", "officer-py"))
    coach = client(token("--role", "coach", "--jobbtorg", "jarva", "--sub", "coach-py"))
    purchaser = client(token("--role", "contract_manager", "--sub", "purchaser-py"))

    provider, _ = check(
        "create provider",
        create_provider.sync_detailed(
            client=purchaser,
            body=CreateProviderRequest(
                org_number=org_number(201),
                name="Pythonvägen AB",
                kind=OrganisationKindCode.LOU,
                contacts=[Contact(name="Referral desk", email="desk@example.se")],
            ),
        ),
        201,
    )
    check(
        "create contract",
        create_contract.sync_detailed(
            provider.id,
            client=purchaser,
            body=CreateContractRequest(
                reference="SDK-PY-1",
                procurement_form=ProcurementFormCode.LOU_FRAMEWORK,
                valid_from=TODAY - datetime.timedelta(days=30),
                valid_to=TODAY + datetime.timedelta(days=365),
                activity_types=["work_training"],
                target_groups=["social_assistance_unemployed"],
                job_centres=["jarva"],
                capacity=10,
                start_fee_ore=500_000,
                result_steps=[ResultStep(trigger=ResultStepTriggerCode.EMPLOYMENT_OR_STUDIES_STARTED, amount_ore=1_500_000)],
            ),
        ),
        201,
    )

    participant, etag = check(
        "intake",
        create_participant.sync_detailed(
            client=officer,
            body=CreateParticipantRequest(
                personal_identity_number=personnummer("19790823", 201),
                first_name="Dawit",
                last_name="Tesfaye",
                home_district_id="rinkeby-kista",
                target_groups=["social_assistance_unemployed"],
                referral_reason="Unemployed for 20 months.",
                requested_start=TODAY,
            ),
        ),
        201,
    )
    equal("status after intake", participant.status, ParticipantStatusCode.REFERRED)
    participant, _ = check(
        "enrol",
        enrol_participant.sync_detailed(
            participant.id, client=coach, if_match=etag, body=EnrolRequest(arrived_on=TODAY, coach_id="coach-py")
        ),
    )
    equal("status after enrolment", participant.status, ParticipantStatusCode.ENROLLED)

    plan, etag = check(
        "create plan",
        create_plan.sync_detailed(
            participant.id,
            client=coach,
            body=CreatePlanRequest(
                valid_from=TODAY, valid_to=TODAY + datetime.timedelta(days=90), goal="Care assistant"
            ),
        ),
        201,
    )
    plan, etag = check(
        "add activity",
        add_activity.sync_detailed(
            plan.id,
            client=coach,
            if_match=etag,
            body=ActivityRequest(
                activity_type="work_training",
                description="Work training at a care home",
                provider_kind=ActivityProviderKindCode.EXTERNAL,
                starts_on=TODAY,
                ends_on=TODAY + datetime.timedelta(days=60),
                hours_per_week=25,
            ),
        ),
    )
    activity_id = plan.activities[0].id
    plan, etag = check("submit plan", submit_plan.sync_detailed(plan.id, client=coach, if_match=etag))
    plan, _ = check("approve plan", approve_plan.sync_detailed(plan.id, client=officer, if_match=etag))
    equal("plan status", plan.status, PlanStatusCode.APPROVED)

    referral, etag = check(
        "send referral",
        create_referral.sync_detailed(
            client=coach,
            idempotency_key=f"sdk-py-{participant.id}",
            body=CreateReferralRequest(
                participant_id=participant.id, activity_id=activity_id, statutory_basis="SoL 4 kap. 4 §"
            ),
        ),
        201,
    )
    equal("referral status", referral.status, ReferralStatusCode.SENT)
    staff = client(token("--role", "provider_staff", "--provider", referral.provider_id, "--sub", "staff-py"))
    accepted, _ = check("accept referral", accept_referral.sync_detailed(referral.id, client=staff, if_match=etag))
    equal("referral status after accept", accepted.status, ReferralStatusCode.ACCEPTED)

    stale = accept_referral.sync_detailed(referral.id, client=staff, if_match=etag)
    equal("stale accept status", stale.status_code, 412)
    equal("stale accept problem code", stale.parsed.code, "precondition_failed")
    print("python scenario passed")


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # noqa: BLE001 - any failure fails the scenario
        print(f"FAILED: {error}", file=sys.stderr)
        raise
