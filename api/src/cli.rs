//! The command line: `serve` (default), `migrate`, `openapi`.

use std::process::ExitCode;

use persistence::migrations;
use persistence::pool::DbManager;

use crate::config::Config;
use crate::openapi;
use crate::startup::Application;

const USAGE: &str = "\
usage: jobbtorg-api [serve] [--no-migrate]   start the server (migrates first unless --no-migrate)
       jobbtorg-api migrate                  apply pending migrations and exit
       jobbtorg-api openapi                  print the OpenAPI document as YAML

Configuration comes from environment variables; see README.md.";

pub fn run(args: Vec<String>) -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        [] | ["serve"] => serve(true),
        ["--no-migrate"] | ["serve", "--no-migrate"] => serve(false),
        ["migrate"] => migrate(),
        ["openapi"] => print_openapi(),
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
        let app = match Application::build(config, migrate) {
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

fn migrate() -> ExitCode {
    let config = match load_config() {
        Ok(config) => config,
        Err(code) => return code,
    };
    let mut conn = match DbManager::new(config.database_url.clone()).connect() {
        Ok(conn) => conn,
        Err(e) => {
            return fail(format!(
                "cannot connect to the database ({:?}): {e}",
                config.database_url
            ))
        }
    };
    match migrations::run_pending(&mut conn) {
        Ok(applied) => {
            println!("applied {} migration(s)", applied.len());
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
