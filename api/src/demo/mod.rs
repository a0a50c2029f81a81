//! The demo data set for `make run`: providers with contracts and, at every job centre,
//! participants in every state — referred, enrolled, plans in each status, referrals in every
//! step, absences, interruptions, exits with claims and follow-ups.
//!
//! Everything goes through the operations layer, never raw SQL, on a walked clock: each step
//! runs with a [`Context`] set to the day it happened (within the last eight months), so the
//! history, the deadlines and the work queues read as if the case workers had done it. The
//! steps run with the acting role's reach (`ListScope::Everything` would hide a missing scope,
//! so each actor's own list scope is used); the whole set loads in one transaction or not at all.

mod journeys;
mod people;
mod providers;

use chrono::{DateTime, NaiveDate, Utc};
use domain::access::{list_scope, Action, Actor, ListScope, ProviderRef, Role};
use domain::shared::{city_date, Code};
use persistence::repos::{ProviderRepo, ReferenceRepo};
use persistence::{tx, DbConnection};
use uuid::Uuid;

pub use journeys::Stage;

use crate::ops::{Context, OpError};

/// How many participants each job centre gets in each stage.
pub const PER_STAGE: usize = 2;

/// What a load did.
#[derive(Debug)]
pub enum Outcome {
    Loaded(Summary),
    /// The demo's first provider is registered: it was loaded before.
    AlreadyLoaded,
}

#[derive(Debug)]
pub struct Summary {
    pub participants: usize,
    /// The job centres that got participants (every one that serves a district).
    pub job_centres: usize,
    pub providers: Vec<(String, Uuid)>,
}

/// Loads the demo into `conn`'s database as of `now`, unless it is there already.
pub fn load(conn: &mut DbConnection, now: DateTime<Utc>) -> Result<Outcome, OpError> {
    if ProviderRepo::id_by_org_number(conn, &providers::marker()?)?.is_some() {
        return Ok(Outcome::AlreadyLoaded);
    }
    let clock = Clock { today: city_date(now) };
    tx::write(conn, |conn| {
        let districts = ReferenceRepo::districts(conn)?;
        let centres: Vec<Code> = ReferenceRepo::job_centres(conn)?.into_iter().map(|c| c.code).collect();
        let providers = providers::register(conn, &clock, &centres)
            .map_err(|e| OpError::Internal(format!("registering the demo providers: {e:?}")))?;
        let mut serial = 0;
        for centre in &centres {
            let home: Vec<&Code> = districts
                .iter()
                .filter(|d| &d.job_centre_code == centre)
                .map(|d| &d.code)
                .collect();
            // A centre that serves no district (reference data can move them) gets no one.
            if home.is_empty() {
                continue;
            }
            for stage in Stage::ALL {
                for variant in 0..PER_STAGE {
                    let case = journeys::Case {
                        clock: &clock,
                        centre,
                        district: journeys::pick(&home, serial / 2, "district")?,
                        variant,
                        providers: &providers,
                    };
                    journeys::walk(conn, &case, serial, stage).map_err(|e| {
                        OpError::Internal(format!("demo participant {serial} at {centre} ({stage:?}): {e:?}"))
                    })?;
                    serial += 1;
                }
            }
        }
        Ok(Outcome::Loaded(Summary {
            participants: serial,
            job_centres: serial / (PER_STAGE * Stage::ALL.len()),
            providers: providers.iter().map(|p| (p.name.to_owned(), p.id)).collect(),
        }))
    })
}

/// The demo's clock: today, and contexts for earlier days.
pub struct Clock {
    pub today: NaiveDate,
}

impl Clock {
    /// A context at 09:00 UTC on `day` (10:00 or 11:00 in Stockholm, the same date).
    fn at(&self, day: NaiveDate, actor: Actor) -> Context {
        let now = day.and_hms_opt(9, 0, 0).unwrap_or_default().and_utc();
        Context {
            actor,
            request_id: format!("demo-{}", Uuid::now_v7()),
            now,
            reads: None,
        }
    }

    fn purchaser(&self) -> Result<Actor, OpError> {
        actor("purchaser-demo", Role::ContractManager, None, None, None)
    }
}

/// The subjects the demo acts as, so a token with the same `sub` sees "my" work.
pub fn coach_subject(centre: &Code, n: usize) -> String {
    format!("coach-{centre}-{}", n + 1)
}

pub fn officer_subject(district: &Code) -> String {
    format!("officer-{district}")
}

fn actor(
    subject: &str,
    role: Role,
    jobbtorg: Option<&Code>,
    district: Option<&Code>,
    provider: Option<Uuid>,
) -> Result<Actor, OpError> {
    Actor::new(
        subject,
        role,
        jobbtorg.cloned(),
        district.cloned(),
        provider.map(ProviderRef::new),
        Vec::new(),
    )
    .map_err(|e| OpError::Internal(format!("demo actor {subject}: {e}")))
}

/// The actor's reach for `action`, as a request of theirs would have it.
fn reach(actor: &Actor, action: Action) -> Result<ListScope, OpError> {
    list_scope(actor, action).ok_or_else(|| OpError::Internal(format!("{} may not {action:?}", actor.role())))
}

/// The demo providers' names and ids, read back when the demo was loaded before.
pub fn provider_ids(conn: &mut DbConnection) -> Result<Vec<(String, Uuid)>, OpError> {
    let mut found = Vec::new();
    for n in 0..providers::COUNT {
        if let Some(id) = ProviderRepo::id_by_org_number(conn, &providers::org_number(n)?)? {
            found.push((providers::name(n).to_owned(), id));
        }
    }
    Ok(found)
}

/// Someone to log in as: who, and the `token` flags of their development token.
pub struct Login {
    pub who: String,
    pub flags: Vec<(&'static str, String)>,
}

/// One login per role, scoped where the demo's work is: the first coach at Järva, the
/// Rinkeby-Kista district, the first provider.
pub fn logins(providers: &[(String, Uuid)]) -> Vec<Login> {
    let centre = "jarva";
    let district = "rinkeby-kista";
    let login = |who: String, flags: &[(&'static str, &str)]| Login {
        who,
        flags: flags.iter().map(|(f, v)| (*f, (*v).to_owned())).collect(),
    };
    let coach = format!("coach-{centre}-1");
    let officer = format!("officer-{district}");
    let mut logins = vec![
        login(
            format!("coach {coach} at Jobbtorg Järva: my participants, GET /v1/tasks"),
            &[("--role", "coach"), ("--jobbtorg", centre), ("--sub", &coach)],
        ),
        login(
            "job centre manager at Jobbtorg Järva".to_owned(),
            &[
                ("--role", "jobbtorg_manager"),
                ("--jobbtorg", centre),
                ("--sub", "manager-jarva"),
            ],
        ),
        login(
            format!("district officer {officer}: intake, plan decisions, absences"),
            &[
                ("--role", "district_officer"),
                ("--district", district),
                ("--sub", &officer),
            ],
        ),
    ];
    if let Some((name, id)) = providers.first() {
        let id = id.to_string();
        logins.push(login(
            format!("provider staff at {name}: referrals, progress, absences"),
            &[
                ("--role", "provider_staff"),
                ("--provider", &id),
                ("--sub", "desk-demo"),
            ],
        ));
    }
    logins.extend([
        login(
            "purchaser (contract manager): providers, contracts, claims".to_owned(),
            &[("--role", "contract_manager"), ("--sub", "purchaser-demo")],
        ),
        login(
            "analyst: key figures only".to_owned(),
            &[("--role", "analyst"), ("--sub", "analyst-demo")],
        ),
        login(
            "integration (Arbetsförmedlingen): the events feed and registrations".to_owned(),
            &[
                ("--role", "integration"),
                ("--scope", "events:read participants:af-status"),
                ("--sub", "af-integration"),
            ],
        ),
        login(
            "admin: reference data, webhooks".to_owned(),
            &[("--role", "admin"), ("--sub", "admin-demo")],
        ),
    ]);
    logins
}
