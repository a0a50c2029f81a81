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
    events (id) {
        position -> Nullable<BigInt>,
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
        anonymised_at -> Nullable<Timestamp>,
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
    assessments (period_id) {
        period_id -> Text,
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
        period_id -> Nullable<Text>,
    }
}

diesel::table! {
    handovers (id) {
        id -> Text,
        participant_id -> Text,
        from_period_id -> Text,
        to_period_id -> Text,
        records -> Text,
        legal_basis -> Text,
        consent_id -> Nullable<Text>,
        recorded_by -> Text,
        recorded_role -> Text,
        recorded_at -> Timestamp,
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

diesel::table! {
    af_programmes (code) {
        code -> Text,
        name -> Text,
        activity_type -> Text,
        sort_order -> Integer,
    }
}

diesel::table! {
    af_programme_target_groups (programme_code, target_group_code) {
        programme_code -> Text,
        target_group_code -> Text,
    }
}

diesel::table! {
    providers (id) {
        id -> Text,
        org_number -> Text,
        name -> Text,
        kind -> Text,
        status -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    provider_contacts (id) {
        id -> Text,
        provider_id -> Text,
        position -> Integer,
        name -> Text,
        role -> Nullable<Text>,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
    }
}

diesel::table! {
    contracts (id) {
        id -> Text,
        provider_id -> Text,
        reference -> Text,
        procurement_form -> Text,
        valid_from -> Date,
        valid_to -> Date,
        capacity -> Integer,
        start_fee_ore -> BigInt,
        status -> Text,
        overlaps_af_programme -> Bool,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    contract_coverage (contract_id, dimension, code) {
        contract_id -> Text,
        dimension -> Text,
        code -> Text,
        position -> Integer,
    }
}

diesel::table! {
    contract_result_steps (contract_id, claim_trigger) {
        contract_id -> Text,
        claim_trigger -> Text,
        amount_ore -> BigInt,
        position -> Integer,
    }
}

diesel::table! {
    referrals (id) {
        id -> Text,
        participant_id -> Text,
        period_id -> Text,
        job_centre_code -> Text,
        district_code -> Text,
        plan_id -> Nullable<Text>,
        activity_id -> Nullable<Text>,
        activity_type -> Text,
        starts_on -> Date,
        ends_on -> Date,
        provider_id -> Text,
        contract_id -> Text,
        chosen_by_participant -> Bool,
        allocation_reason -> Nullable<Text>,
        consent_id -> Nullable<Text>,
        statutory_basis -> Nullable<Text>,
        note -> Nullable<Text>,
        referred_by -> Text,
        status -> Text,
        decline_reason -> Nullable<Text>,
        end_note -> Nullable<Text>,
        started_on -> Nullable<Date>,
        ended_on -> Nullable<Date>,
        outcome -> Nullable<Text>,
        outcome_employment_form -> Nullable<Text>,
        outcome_extent -> Nullable<Text>,
        outcome_wage_subsidy -> Nullable<Bool>,
        outcome_ssyk -> Nullable<Text>,
        outcome_reason -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    referral_deliveries (referral_id) {
        referral_id -> Text,
        job_centre_code -> Text,
        reason -> Text,
    }
}

diesel::table! {
    progress_reports (id) {
        id -> Text,
        referral_id -> Text,
        granularity -> Text,
        period_from -> Date,
        period_to -> Date,
        comment -> Nullable<Text>,
        reported_by -> Text,
        reported_at -> Timestamp,
    }
}

diesel::table! {
    progress_lines (id) {
        id -> Text,
        report_id -> Text,
        referral_id -> Text,
        position -> Integer,
        line_date -> Date,
        attended_minutes -> Integer,
        absent_minutes -> Integer,
        absence_reason -> Nullable<Text>,
    }
}

diesel::table! {
    claims (id) {
        id -> Text,
        referral_id -> Text,
        contract_id -> Text,
        provider_id -> Text,
        claim_trigger -> Text,
        amount_ore -> BigInt,
        status -> Text,
        terms_snapshot -> Text,
        evidence -> Text,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        reject_reason -> Nullable<Text>,
        paid_on -> Nullable<Date>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    rate_limit_windows (actor_subject, window_start) {
        actor_subject -> Text,
        window_start -> Timestamp,
        requests -> Integer,
    }
}

diesel::joinable!(districts -> job_centres (job_centre_code));
diesel::joinable!(participation_periods -> participants (participant_id));

diesel::table! {
    webhook_subscriptions (id) {
        id -> Text,
        owner_subject -> Text,
        owner_role -> Text,
        url -> Text,
        secret -> Text,
        event_types -> Text,
        cursor_position -> BigInt,
        created_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Text,
        subscription_id -> Text,
        event_id -> Text,
        event_position -> BigInt,
        event_type -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        leased_until -> Nullable<Timestamp>,
        last_attempt_at -> Nullable<Timestamp>,
        last_status_code -> Nullable<Integer>,
        last_error -> Nullable<Text>,
        delivered_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    journal_entries (id) {
        id -> Text,
        participant_id -> Text,
        period_id -> Text,
        corrects -> Nullable<Text>,
        entry_date -> Date,
        body -> Text,
        confidential -> Bool,
        author_subject -> Text,
        author_role -> Text,
        author_jobbtorg -> Nullable<Text>,
        author_district -> Nullable<Text>,
        written_at -> Timestamp,
    }
}

diesel::table! {
    absences (id) {
        id -> Text,
        participant_id -> Text,
        period_id -> Text,
        referral_id -> Nullable<Text>,
        provider_id -> Nullable<Text>,
        absent_on -> Date,
        from_time -> Nullable<Text>,
        to_time -> Nullable<Text>,
        reason -> Text,
        note -> Nullable<Text>,
        late_reason -> Nullable<Text>,
        reported_by -> Text,
        reported_role -> Text,
        reported_at -> Timestamp,
        seen_by -> Nullable<Text>,
        seen_at -> Nullable<Timestamp>,
        version -> Integer,
    }
}

diesel::table! {
    transfers (id) {
        id -> Text,
        participant_id -> Text,
        period_id -> Text,
        from_district_code -> Text,
        from_job_centre_code -> Text,
        to_district_code -> Text,
        to_job_centre_code -> Nullable<Text>,
        moves_on -> Date,
        note -> Nullable<Text>,
        status -> Text,
        requested_by -> Text,
        requested_role -> Text,
        requested_at -> Timestamp,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        decision_note -> Nullable<Text>,
        coach_subject -> Nullable<Text>,
        handover_id -> Nullable<Text>,
        version -> Integer,
    }
}

diesel::joinable!(absences -> participation_periods (period_id));
diesel::joinable!(journal_entries -> participation_periods (period_id));
diesel::joinable!(transfers -> participation_periods (period_id));
diesel::joinable!(webhook_deliveries -> webhook_subscriptions (subscription_id));
diesel::joinable!(referral_deliveries -> referrals (referral_id));

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
    handovers,
    field_history,
    activity_plans,
    plan_activities,
    plan_decisions,
    af_programmes,
    af_programme_target_groups,
    providers,
    provider_contacts,
    contracts,
    contract_coverage,
    contract_result_steps,
    referrals,
    referral_deliveries,
    progress_reports,
    progress_lines,
    claims,
    rate_limit_windows,
    webhook_subscriptions,
    webhook_deliveries,
    journal_entries,
    absences,
    transfers,
);
