DROP TABLE exit_outcomes;
DROP TABLE activity_types;
DROP TABLE target_groups;
DROP TABLE districts;
DROP TABLE job_centres;
