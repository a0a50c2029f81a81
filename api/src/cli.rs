//! The command line: `serve` (default), `migrate`, `demo`, `openapi`, `retention`, `token`.

use std::collections::HashMap;
use std::process::ExitCode;

use persistence::migrations;
use persistence::pool::DbManager;
use persistence::DbConnection;

use crate::auth::dev_token::{now_seconds, parse_ttl, sign_hs256};
use crate::auth::{Claims, KeyConfig};
use crate::config::Config;
use crate::openapi;
use crate::startup::Application;

const USAGE: &str = "\
usage: jobbtorg-api [serve] [--no-migrate]   start the server (migrates first unless --no-migrate)
       jobbtorg-api migrate                  apply pending migrations and exit
       jobbtorg-api demo                     migrate, load the demo data set into an empty database
                                             and print a development token for each role
       jobbtorg-api openapi                  print the OpenAPI document as YAML
       jobbtorg-api retention [--dry-run]    anonymise the participations past RETENTION_YEARS
                                             (--dry-run: only list them)
       jobbtorg-api token --role ROLE [--jobbtorg ID] [--district ID] [--provider UUID]
                          [--scope \"A B\"] [--sub NAME] [--ttl 8h]
                                             print a development token signed with JWT_HS256_SECRET

Configuration comes from environment variables; see README.md.";

pub fn run(args: Vec<String>) -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        [] | ["serve"] => serve(true),
        ["--no-migrate"] | ["serve", "--no-migrate"] => serve(false),
        ["migrate"] => migrate(),
        ["demo"] => demo(),
        ["openapi"] => print_openapi(),
        ["retention"] => retention(false),
        ["retention", "--dry-run"] => retention(true),
        ["token", options @ ..] => print_token(options),
        ["help"] | ["--help"] | ["-h"] => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => fail(format!("unknown arguments {args:?}\n{USAGE}")),
    }
}

/// One clear line on stderr and a non-zero exit, never a panic trace.
fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("jobbtorg-api: {message}");
    ExitCode::from(2)
}

fn load_config() -> Result<Config, ExitCode> {
    Config::from_env().map_err(fail)
}

fn serve(migrate: bool) -> ExitCode {
    let config = match load_config() {
        Ok(config) => config,
        Err(code) => return code,
    };
    let addr = config.bind_addr;
    actix_web::rt::System::new().block_on(async move {
        let app = match Application::build(config, migrate).await {
            Ok(app) => app,
            Err(e) => return fail(e),
        };
        let base = format!("http://{}:{}", addr.ip(), app.port());
        log::info!("Jobbtorg API listening on {base}; API docs at {base}/docs/");
        match app.run_until_stopped().await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(e),
        }
    })
}

/// The configuration and a connection to its database, or the exit of a clear failure.
fn connect() -> Result<(Config, DbConnection), ExitCode> {
    let config = load_config()?;
    match DbManager::new(config.database_url.clone()).connect() {
        Ok(conn) => Ok((config, conn)),
        Err(e) => Err(fail(format!(
            "cannot connect to the database ({:?}): {e}",
            config.database_url
        ))),
    }
}

fn migrate() -> ExitCode {
    let (_, mut conn) = match connect() {
        Ok(connected) => connected,
        Err(code) => return code,
    };
    match migrations::run_pending(&mut conn) {
        Ok(applied) => {
            println!("applied {} migration(s)", applied.len());
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}

/// Applies the records policy once, on the configured clock; prints one line per
/// participation (its id and dates, nothing personal).
fn retention(dry_run: bool) -> ExitCode {
    let (config, mut conn) = match connect() {
        Ok(connected) => connected,
        Err(code) => return code,
    };
    let ran = crate::housekeeping::retention_context(config.clock.now())
        .and_then(|ctx| crate::ops::retention::run(&mut conn, &ctx, config.retention_years, dry_run));
    match ran {
        Ok(items) => {
            let verb = if dry_run { "would anonymise" } else { "anonymised" };
            for item in &items {
                println!(
                    "{verb} participant {} (last entry {}, kept until {})",
                    item.participant_id, item.last_entry, item.kept_until
                );
            }
            println!(
                "{verb} {} participation(s) past {} years",
                items.len(),
                config.retention_years
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}

fn print_openapi() -> ExitCode {
    match openapi::to_yaml(&openapi::document()) {
        Ok(yaml) => {
            print!("{yaml}");
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}

fn print_token(options: &[&str]) -> ExitCode {
    let config = match load_config() {
        Ok(config) => config,
        Err(code) => return code,
    };
    let mut values: HashMap<&str, &str> = HashMap::new();
    for pair in options.chunks(2) {
        match pair {
            [flag @ ("--role" | "--jobbtorg" | "--district" | "--provider" | "--scope" | "--sub" | "--ttl"), value] => {
                values.insert(flag, value);
            }
            _ => return fail(format!("unexpected token arguments {pair:?}\n{USAGE}")),
        }
    }
    match dev_token(&config, &values) {
        Ok(token) => {
            println!("{token}");
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}

/// A development token signed with `JWT_HS256_SECRET` for the `--flag value` pairs of `token`.
fn dev_token(config: &Config, values: &HashMap<&str, &str>) -> Result<String, String> {
    let Some(KeyConfig::Hs256Secret(secret)) = &config.jwt_keys else {
        return Err("`token` signs with JWT_HS256_SECRET, which is not set".to_owned());
    };
    let Some(role) = values.get("--role") else {
        return Err(format!("--role is required\n{USAGE}"));
    };
    let ttl = parse_ttl(values.get("--ttl").copied().unwrap_or("8h"))?;
    let now = now_seconds();
    let claims = Claims {
        sub: values
            .get("--sub")
            .map_or_else(|| format!("dev-{role}"), |s| (*s).to_owned()),
        role: (*role).to_owned(),
        jobbtorg_id: values.get("--jobbtorg").map(|s| (*s).to_owned()),
        district_id: values.get("--district").map(|s| (*s).to_owned()),
        provider_id: values.get("--provider").map(|s| (*s).to_owned()),
        scope: values.get("--scope").map(|s| (*s).to_owned()),
        iss: config.jwt_issuer.clone(),
        aud: config.jwt_audience.clone().into(),
        exp: now + ttl.as_secs(),
        nbf: Some(now),
        iat: Some(now),
    };
    // Refuse to print a token the server would reject.
    claims.to_actor().map_err(|reason| reason.to_string())?;
    sign_hs256(&claims, secret).map_err(|e| e.to_string())
}

/// Migrates, loads the demo data set unless it is there, and prints who to log in as.
fn demo() -> ExitCode {
    let (config, mut conn) = match connect() {
        Ok(connected) => connected,
        Err(code) => return code,
    };
    if let Err(e) = migrations::run_pending(&mut conn) {
        return fail(e);
    }
    let providers = match crate::demo::load(&mut conn, config.clock.now()) {
        Ok(crate::demo::Outcome::Loaded(summary)) => {
            println!(
                "loaded the demo: {} participants at {} job centres, {} providers",
                summary.participants,
                summary.job_centres,
                summary.providers.len()
            );
            summary.providers
        }
        Ok(crate::demo::Outcome::AlreadyLoaded) => {
            println!("the demo data set is loaded already");
            match crate::demo::provider_ids(&mut conn) {
                Ok(providers) => providers,
                Err(e) => return fail(e),
            }
        }
        Err(e) => return fail(format!("the demo could not be loaded, nothing was kept: {e}")),
    };
    if !matches!(config.jwt_keys, Some(KeyConfig::Hs256Secret(_))) {
        println!("set JWT_HS256_SECRET to have a development token printed for each role");
        return ExitCode::SUCCESS;
    }
    println!("\ndevelopment tokens (8 hours), one per role: send as `Authorization: Bearer <token>`");
    for login in crate::demo::logins(&providers) {
        let values: HashMap<&str, &str> = login.flags.iter().map(|(f, v)| (*f, v.as_str())).collect();
        match dev_token(&config, &values) {
            Ok(token) => println!("\n# {}\n{token}", login.who),
            Err(e) => return fail(e),
        }
    }
    ExitCode::SUCCESS
}
