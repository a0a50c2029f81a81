//! Authentication: every way a token can be wrong is a 401 problem with a Bearer challenge.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};

use crate::helpers::{assert_problem, spawn_app, spawn_app_with, TestApp, TestToken};

const PROTECTED: &str = "/v1/districts";

fn fixture(name: &str) -> String {
    format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn signed(alg: Algorithm, kid: Option<&str>, pem_file: &str, token: TestToken) -> String {
    let pem = std::fs::read(fixture(pem_file)).unwrap();
    let key = match alg {
        Algorithm::RS256 => EncodingKey::from_rsa_pem(&pem).unwrap(),
        _ => EncodingKey::from_ec_pem(&pem).unwrap(),
    };
    let mut header = Header::new(alg);
    header.kid = kid.map(str::to_owned);
    encode(&header, &token.claims(), &key).unwrap()
}

async fn assert_rejected(app: &TestApp, token: &str, reason: &str) {
    let response = app.get_as(token, PROTECTED).await;
    let challenge = response
        .headers()
        .get("www-authenticate")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(challenge.starts_with("Bearer"), "challenge {challenge:?}");
    assert!(challenge.contains("invalid_token"), "challenge {challenge:?}");
    let body = assert_problem(response, 401, "unauthorized").await;
    assert!(body["detail"].as_str().unwrap().contains(reason), "{body}");
}

async fn spawn_jwks_app() -> TestApp {
    spawn_app_with(&[("JWT_HS256_SECRET", ""), ("JWT_JWKS_PATH", &fixture("jwks.json"))]).await
}

#[tokio::test]
async fn no_token_is_401_with_a_bearer_challenge() {
    let app = spawn_app().await;
    let response = app.get(PROTECTED).await;
    assert_eq!(response.headers()["www-authenticate"], r#"Bearer realm="jobbtorg""#);
    assert_problem(response, 401, "unauthorized").await;

    let basic = app
        .client
        .get(app.url(PROTECTED))
        .header("Authorization", "Basic dTpw")
        .send()
        .await
        .unwrap();
    assert_problem(basic, 401, "unauthorized").await;
}

#[tokio::test]
async fn expired_token_is_401() {
    let app = spawn_app().await;
    let mut claims = TestToken::role("admin").claims();
    claims.exp -= 3600;
    claims.nbf = claims.nbf.map(|n| n - 7200);
    let token = jobbtorg_api::auth::dev_token::sign_hs256(&claims, crate::helpers::TEST_SECRET).unwrap();
    assert_rejected(&app, &token, "expired").await;
}

#[tokio::test]
async fn token_not_yet_valid_is_401() {
    let app = spawn_app().await;
    let mut claims = TestToken::role("admin").claims();
    claims.nbf = claims.nbf.map(|n| n + 3600);
    claims.exp += 7200;
    let token = jobbtorg_api::auth::dev_token::sign_hs256(&claims, crate::helpers::TEST_SECRET).unwrap();
    assert_rejected(&app, &token, "not valid yet").await;
}

#[tokio::test]
async fn wrong_audience_and_wrong_issuer_are_401() {
    let app = spawn_app().await;
    let mut claims = TestToken::role("admin").claims();
    claims.aud = "another-api".into();
    let token = jobbtorg_api::auth::dev_token::sign_hs256(&claims, crate::helpers::TEST_SECRET).unwrap();
    assert_rejected(&app, &token, "audience").await;

    let mut claims = TestToken::role("admin").claims();
    claims.iss = "someone-else".into();
    let token = jobbtorg_api::auth::dev_token::sign_hs256(&claims, crate::helpers::TEST_SECRET).unwrap();
    assert_rejected(&app, &token, "issuer").await;
}

#[tokio::test]
async fn wrong_secret_and_garbage_are_401() {
    let app = spawn_app().await;
    let claims = TestToken::role("admin").claims();
    let forged = jobbtorg_api::auth::dev_token::sign_hs256(&claims, "another-secret-that-is-long-enough-too").unwrap();
    assert_rejected(&app, &forged, "signature").await;
    assert_rejected(&app, "not.a.token", "malformed").await;
}

#[tokio::test]
async fn alg_none_is_401() {
    let app = spawn_app().await;
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let claims = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&TestToken::role("admin").claims()).unwrap());
    let token = format!("{header}.{claims}.");
    let response = app.get_as(&token, PROTECTED).await;
    assert_problem(response, 401, "unauthorized").await;
}

#[tokio::test]
async fn unknown_role_and_missing_scope_are_401() {
    let app = spawn_app().await;
    assert_rejected(&app, &TestToken::role("superuser").sign(), "unknown role").await;
    assert_rejected(&app, &TestToken::role("coach").sign(), "jobbtorg_id").await;
}

#[tokio::test]
async fn allowed_token_but_forbidden_action_is_403() {
    let app = spawn_app().await;
    let coach = TestToken::role("coach").jobbtorg("jarva").sign();
    let body = serde_json::json!({"id": "x", "name": "X", "jobbtorg_id": "jarva"});
    assert_problem(app.post_as(&coach, "/v1/districts", &body).await, 403, "forbidden").await;
    let analyst = TestToken::role("analyst").sign();
    assert_problem(app.get_as(&analyst, "/v1/events").await, 403, "forbidden").await;
}

#[tokio::test]
async fn rs256_and_es256_tokens_from_a_jwk_set_file_are_accepted() {
    let app = spawn_jwks_app().await;
    for (alg, kid, pem) in [
        (Algorithm::RS256, "rs-1", "rs256.pem"),
        (Algorithm::ES256, "es-1", "es256.pem"),
    ] {
        let token = signed(alg, Some(kid), pem, TestToken::role("admin"));
        let response = app.get_as(&token, PROTECTED).await;
        assert_eq!(response.status().as_u16(), 200, "{alg:?}");
    }
}

#[tokio::test]
async fn hs256_token_is_401_when_only_jwk_keys_are_configured() {
    let app = spawn_jwks_app().await;
    assert_rejected(&app, &TestToken::role("admin").sign(), "algorithm").await;
}

#[tokio::test]
async fn unknown_kid_and_mismatched_algorithm_are_401() {
    let app = spawn_jwks_app().await;
    let unknown = signed(
        Algorithm::RS256,
        Some("rs-unknown"),
        "rs256.pem",
        TestToken::role("admin"),
    );
    assert_rejected(&app, &unknown, "key id").await;
    let no_kid = signed(Algorithm::RS256, None, "rs256.pem", TestToken::role("admin"));
    assert_rejected(&app, &no_kid, "key id").await;
    // The EC key's kid on an RS256 token: the key and algorithm must agree.
    let swapped = signed(Algorithm::RS256, Some("es-1"), "rs256.pem", TestToken::role("admin"));
    assert_rejected(&app, &swapped, "algorithm").await;
}

#[tokio::test]
async fn keys_are_refetched_from_the_jwks_url_on_an_unknown_kid() {
    let full: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("jwks.json")).unwrap()).unwrap();
    let only_ec = serde_json::json!({"keys": [full["keys"][1].clone()]});
    let server = crate::helpers::JsonServer::start(only_ec).await;
    let app = spawn_app_with(&[("JWT_HS256_SECRET", ""), ("JWT_JWKS_URL", &server.url("/jwks.json"))]).await;

    let es = signed(Algorithm::ES256, Some("es-1"), "es256.pem", TestToken::role("admin"));
    assert_eq!(
        app.get_as(&es, PROTECTED).await.status().as_u16(),
        200,
        "key fetched at start-up"
    );

    // The identity provider rotates in the RSA key; the first token naming it triggers a fetch.
    server.set(full).await;
    let rs = signed(Algorithm::RS256, Some("rs-1"), "rs256.pem", TestToken::role("admin"));
    assert_eq!(
        app.get_as(&rs, PROTECTED).await.status().as_u16(),
        200,
        "rotated key found"
    );
}

/// Every operation the spec marks as needing a bearer token refuses a request without one, so a
/// handler that forgets the `Authenticated` extractor cannot slip through.
#[tokio::test]
async fn every_secured_operation_rejects_a_request_without_a_token() {
    let app = spawn_app().await;
    let document = jobbtorg_api::openapi::document();
    let mut checked = 0;
    for (path, item) in &document.paths.paths {
        let concrete = path
            .split('/')
            .map(|s| if s.starts_with('{') { "x" } else { s })
            .collect::<Vec<_>>()
            .join("/");
        let operations = [
            (reqwest::Method::GET, &item.get),
            (reqwest::Method::POST, &item.post),
            (reqwest::Method::PATCH, &item.patch),
            (reqwest::Method::PUT, &item.put),
            (reqwest::Method::DELETE, &item.delete),
        ];
        for (method, operation) in operations {
            let Some(operation) = operation else { continue };
            let secured = serde_json::to_value(&operation.security)
                .unwrap()
                .to_string()
                .contains("bearer");
            if !secured {
                continue;
            }
            let response = app
                .client
                .request(method.clone(), app.url(&concrete))
                .header("Content-Type", "application/json")
                .body("{}")
                .send()
                .await
                .unwrap();
            assert_eq!(response.status().as_u16(), 401, "{method} {path} without a token");
            checked += 1;
        }
    }
    assert!(checked >= 8, "only {checked} secured operations found");
}

#[tokio::test]
async fn an_audience_list_is_accepted_when_it_names_this_api() {
    use jobbtorg_api::auth::Audience;
    let app = spawn_app().await;
    let mut claims = TestToken::role("admin").claims();
    claims.aud = Audience::Many(vec!["account".into(), crate::helpers::AUDIENCE.into()]);
    let token = jobbtorg_api::auth::dev_token::sign_hs256(&claims, crate::helpers::TEST_SECRET).unwrap();
    assert_eq!(app.get_as(&token, "/v1/districts").await.status().as_u16(), 200);

    claims.aud = Audience::Many(vec!["account".into(), "another-api".into()]);
    let token = jobbtorg_api::auth::dev_token::sign_hs256(&claims, crate::helpers::TEST_SECRET).unwrap();
    assert_rejected(&app, &token, "audience").await;
}

#[tokio::test]
async fn a_critical_header_extension_and_an_overlong_lifetime_are_401() {
    let app = spawn_app_with(&[("JWT_MAX_TTL", "1h")]).await;
    let claims = TestToken::role("admin").claims();
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    header.crit = Some(vec!["http://example.com/must-understand".into()]);
    let key = jsonwebtoken::EncodingKey::from_secret(crate::helpers::TEST_SECRET.as_bytes());
    let token = jsonwebtoken::encode(&header, &claims, &key).unwrap();
    assert_rejected(&app, &token, "critical").await;

    // Issued now for two hours, with and without iat: longer than the one hour allowed.
    let mut long = TestToken::role("admin").claims();
    long.exp = long.iat.unwrap() + 2 * 3600;
    let token = jobbtorg_api::auth::dev_token::sign_hs256(&long, crate::helpers::TEST_SECRET).unwrap();
    assert_rejected(&app, &token, "longer").await;
    long.iat = None;
    let token = jobbtorg_api::auth::dev_token::sign_hs256(&long, crate::helpers::TEST_SECRET).unwrap();
    assert_rejected(&app, &token, "longer").await;
    // Within the hour it passes.
    let token = TestToken::role("admin").sign();
    assert_eq!(app.get_as(&token, "/v1/districts").await.status().as_u16(), 200);
}

#[tokio::test]
async fn a_key_the_identity_provider_withdraws_is_not_trusted_after_the_next_refresh() {
    let full: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("jwks.json")).unwrap()).unwrap();
    let server = crate::helpers::JsonServer::start(full.clone()).await;
    let app = spawn_app_with(&[("JWT_HS256_SECRET", ""), ("JWT_JWKS_URL", &server.url("/jwks.json"))]).await;
    let rs = signed(Algorithm::RS256, Some("rs-1"), "rs256.pem", TestToken::role("admin"));
    assert_eq!(
        app.get_as(&rs, PROTECTED).await.status().as_u16(),
        200,
        "both keys at start-up"
    );

    // The RSA key is withdrawn; a token naming an unknown kid makes the server fetch the set.
    server.set(serde_json::json!({"keys": [full["keys"][1].clone()]})).await;
    let unknown = signed(Algorithm::RS256, Some("rs-2"), "rs256.pem", TestToken::role("admin"));
    assert_rejected(&app, &unknown, "key id").await;
    assert_rejected(&app, &rs, "key id").await;
    let es = signed(Algorithm::ES256, Some("es-1"), "es256.pem", TestToken::role("admin"));
    assert_eq!(
        app.get_as(&es, PROTECTED).await.status().as_u16(),
        200,
        "the key kept still works"
    );
}

/// A token shaped as Keycloak issues it: the role among other applications' roles in
/// `realm_access.roles` under the realm's own name, the job centre a one-valued user attribute,
/// `aud` a list. With the claim mapping configured it acts as our coach; a token with none or
/// two of our roles, or with the role where the mapping does not look, is refused.
#[tokio::test]
async fn a_keycloak_token_acts_through_the_claim_mapping() {
    let app = spawn_app_with(&[
        ("JWT_ROLE_CLAIM", "realm_access.roles"),
        ("JWT_ROLE_MAP", "jobbtorg-coach=coach,jobbtorg-officer=district_officer"),
        ("JWT_JOBBTORG_CLAIM", "jobbtorg"),
        ("JWT_DISTRICT_CLAIM", "district"),
    ])
    .await;
    let now = jobbtorg_api::auth::dev_token::now_seconds();
    let token = |extra: serde_json::Value| {
        let mut payload = serde_json::json!({
            "sub": "6c0b1f2e-keycloak-user", "iss": crate::helpers::ISSUER,
            "aud": ["account", crate::helpers::AUDIENCE], "exp": now + 300, "iat": now,
            "azp": "jobbtorg-frontend", "preferred_username": "anna.lind"});
        payload
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let key = EncodingKey::from_secret(crate::helpers::TEST_SECRET.as_bytes());
        encode(&Header::new(Algorithm::HS256), &payload, &key).unwrap()
    };
    let coach = token(serde_json::json!({
        "realm_access": {"roles": ["offline_access", "uma_authorization", "jobbtorg-coach"]},
        "jobbtorg": ["jarva"]}));
    let tasks = app.get_as(&coach, "/v1/tasks").await;
    assert_eq!(tasks.status().as_u16(), 200, "a coach may read the work queue");
    let officer = token(serde_json::json!({
        "realm_access": {"roles": ["jobbtorg-officer"]}, "district": "rinkeby-kista"}));
    // The officer's district and the coach's job centre are the mapped claims: the officer
    // refers a resident of Rinkeby-Kista, whom Järva's coach then reads.
    let pnr = crate::participants::personnummer(crate::participants::years_ago(40, 0), 411);
    let referred = app
        .post_as(&officer, "/v1/participants", &crate::participants::intake_body(&pnr))
        .await;
    assert_eq!(referred.status().as_u16(), 201);
    let referred: serde_json::Value = referred.json().await.unwrap();
    let path = format!("/v1/participants/{}", referred["id"].as_str().unwrap());
    assert_eq!(app.get_as(&coach, &path).await.status().as_u16(), 200);

    for (payload, reason) in [
        (
            serde_json::json!({"realm_access": {"roles": ["offline_access"]}}),
            "none of the roles",
        ),
        (
            serde_json::json!({"realm_access": {"roles": ["jobbtorg-coach", "jobbtorg-officer"]}, "jobbtorg": "jarva"}),
            "several roles",
        ),
        (
            serde_json::json!({"role": "coach", "jobbtorg_id": "jarva"}),
            "no role claim",
        ),
        (
            serde_json::json!({"realm_access": {"roles": ["jobbtorg-coach"]}, "jobbtorg": ["jarva", "sydost"]}),
            "one value",
        ),
    ] {
        assert_rejected(&app, &token(payload), reason).await;
    }
}
