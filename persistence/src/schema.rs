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

diesel::table! {
    participants (id) {
        id -> Text,
        personnummer -> Text,
        first_name -> Text,
        last_name -> Text,
        birth_date -> Date,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        street_address -> Nullable<Text>,
        postal_code -> Nullable<Text>,
        city -> Nullable<Text>,
        language_needs -> Nullable<Text>,
        protected_identity -> Bool,
        pseudonym -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    participation_periods (id) {
        id -> Text,
        participant_id -> Text,
        is_current -> Bool,
        status -> Text,
        district_code -> Text,
        job_centre_code -> Text,
        referral_reason -> Text,
        requested_start -> Date,
        referred_on -> Date,
        referred_by -> Text,
        enrolled_on -> Nullable<Date>,
        coach_subject -> Nullable<Text>,
        plan_due_on -> Nullable<Date>,
        plan_approved_on -> Nullable<Date>,
        af_registered_on -> Nullable<Date>,
        exited_on -> Nullable<Date>,
        exit_outcome -> Nullable<Text>,
        exit_employment_form -> Nullable<Text>,
        exit_extent -> Nullable<Text>,
        exit_wage_subsidy -> Nullable<Bool>,
        exit_ssyk -> Nullable<Text>,
        exit_reason -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    period_target_groups (period_id, target_group_code) {
        period_id -> Text,
        target_group_code -> Text,
    }
}

diesel::table! {
    interruptions (id) {
        id -> Text,
        period_id -> Text,
        participant_id -> Text,
        reason -> Text,
        started_on -> Date,
        ended_on -> Nullable<Date>,
        note -> Nullable<Text>,
    }
}

diesel::table! {
    follow_ups (id) {
        id -> Text,
        period_id -> Text,
        participant_id -> Text,
        months -> Integer,
        followed_up_on -> Date,
        self_supporting -> Bool,
        employment_form -> Nullable<Text>,
        extent -> Nullable<Text>,
        wage_subsidy -> Nullable<Bool>,
        ssyk -> Nullable<Text>,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    assessments (participant_id) {
        participant_id -> Text,
        work_history -> Nullable<Text>,
        education -> Nullable<Text>,
        languages -> Nullable<Text>,
        sfi_test_result -> Nullable<Text>,
        guidance_notes -> Nullable<Text>,
        parties_involved -> Nullable<Text>,
        version -> Integer,
        updated_at -> Timestamp,
        updated_by -> Text,
    }
}

diesel::table! {
    consents (id) {
        id -> Text,
        participant_id -> Text,
        shares -> Text,
        recipient_kind -> Text,
        recipient_provider_id -> Nullable<Text>,
        given_on -> Date,
        withdrawn_on -> Nullable<Date>,
        recorded_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    field_history (id) {
        id -> Text,
        resource_type -> Text,
        resource_id -> Text,
        participant_id -> Nullable<Text>,
        changed_at -> Timestamp,
        actor_subject -> Text,
        actor_role -> Text,
        request_id -> Text,
        field -> Text,
        old_value -> Nullable<Text>,
        new_value -> Nullable<Text>,
    }
}

diesel::table! {
    activity_plans (id) {
        id -> Text,
        participant_id -> Text,
        period_id -> Text,
        plan_number -> Integer,
        status -> Text,
        valid_from -> Date,
        valid_to -> Date,
        goal -> Text,
        goal_ssyk -> Nullable<Text>,
        wishes -> Nullable<Text>,
        revision_of -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    plan_activities (id) {
        id -> Text,
        plan_id -> Text,
        position -> Integer,
        activity_type -> Text,
        description -> Text,
        provider_kind -> Text,
        starts_on -> Date,
        ends_on -> Date,
        hours_per_week -> Integer,
        expected_result -> Nullable<Text>,
        status -> Text,
        follow_up_result -> Nullable<Text>,
        followed_up_on -> Nullable<Date>,
        discontinued_reason -> Nullable<Text>,
        replaced_by -> Nullable<Text>,
    }
}

diesel::table! {
    plan_decisions (id) {
        id -> Text,
        plan_id -> Text,
        decision -> Text,
        decided_by -> Text,
        decided_at -> Timestamp,
        reason -> Nullable<Text>,
        plan_version -> Integer,
        content_hash -> Text,
    }
}

diesel::joinable!(districts -> job_centres (job_centre_code));
diesel::joinable!(participation_periods -> participants (participant_id));

diesel::allow_tables_to_appear_in_same_query!(
    job_centres,
    districts,
    target_groups,
    activity_types,
    exit_outcomes,
    access_log,
    events,
    idempotency_keys,
    participants,
    participation_periods,
    period_target_groups,
    interruptions,
    follow_ups,
    assessments,
    consents,
    field_history,
    activity_plans,
    plan_activities,
    plan_decisions,
);
