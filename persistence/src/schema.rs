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

diesel::joinable!(districts -> job_centres (job_centre_code));

diesel::allow_tables_to_appear_in_same_query!(
    job_centres,
    districts,
    target_groups,
    activity_types,
    exit_outcomes,
);
