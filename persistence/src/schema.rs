//! Table definitions shared by both backends. Portable column types only (DESIGN.md section 2).

diesel::table! {
    job_centres (code) {
        code -> Text,
        name -> Text,
        located_in -> Text,
        sort_order -> Integer,
    }
}

diesel::table! {
    districts (code) {
        code -> Text,
        name -> Text,
        job_centre_code -> Text,
        sort_order -> Integer,
        version -> Integer,
    }
}

diesel::table! {
    target_groups (code) {
        code -> Text,
        name -> Text,
        description -> Text,
        phase -> Integer,
        derived -> Bool,
        sort_order -> Integer,
    }
}

diesel::table! {
    activity_types (code) {
        code -> Text,
        name -> Text,
        description -> Text,
        sort_order -> Integer,
    }
}

diesel::table! {
    exit_outcomes (code) {
        code -> Text,
        name -> Text,
        description -> Text,
        requires_employment_details -> Bool,
        requires_reason -> Bool,
        sort_order -> Integer,
    }
}

diesel::table! {
    access_log (id) {
        id -> Text,
        occurred_at -> Timestamp,
        actor_subject -> Text,
        actor_role -> Text,
        action -> Text,
        resource_type -> Text,
        resource_id -> Text,
        participant_id -> Nullable<Text>,
        request_id -> Text,
    }
}

diesel::table! {
    events (position) {
        position -> BigInt,
        id -> Text,
        event_type -> Text,
        resource_type -> Text,
        resource_id -> Text,
        resource_version -> Integer,
        occurred_at -> Timestamp,
        jobbtorg_code -> Nullable<Text>,
        district_code -> Nullable<Text>,
        provider_id -> Nullable<Text>,
        participant_id -> Nullable<Text>,
    }
}

diesel::table! {
    idempotency_keys (actor_subject, idempotency_key) {
        actor_subject -> Text,
        idempotency_key -> Text,
        request_hash -> Text,
        status_code -> Nullable<Integer>,
        response_body -> Nullable<Text>,
        response_etag -> Nullable<Text>,
        response_location -> Nullable<Text>,
        created_at -> Timestamp,
        completed_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(districts -> job_centres (job_centre_code));

diesel::allow_tables_to_appear_in_same_query!(
    job_centres,
    districts,
    target_groups,
    activity_types,
    exit_outcomes,
    access_log,
    events,
    idempotency_keys,
);
