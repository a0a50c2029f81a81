DROP TABLE plan_decisions;
DROP TABLE plan_activities;
DROP TABLE activity_plans;
