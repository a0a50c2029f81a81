//! The committed `openapi.yaml` must be exactly what the code generates (`make openapi`).

#[test]
fn committed_openapi_yaml_matches_the_code() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi.yaml");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let generated = jobbtorg_api::openapi::to_yaml(&jobbtorg_api::openapi::document()).unwrap();
    assert!(
        committed == generated,
        "openapi.yaml is out of date with the code: run `make openapi` and commit the result"
    );
}
