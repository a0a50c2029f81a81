fn main() -> std::process::ExitCode {
    jobbtorg_api::cli::run(std::env::args().skip(1).collect())
}
