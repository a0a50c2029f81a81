DROP TABLE field_history;
DROP TABLE consents;
DROP TABLE assessments;
DROP TABLE follow_ups;
DROP TABLE interruptions;
DROP TABLE period_target_groups;
DROP TABLE participation_periods;
DROP TABLE participants;
