-- Services across job centres (issue 13): a referral may be delivered at another job centre
-- than the one holding the case, with the coach's recorded reason. A referral without a row
-- here is delivered at the job centre holding the case. Set once, when the referral is sent.
CREATE TABLE referral_deliveries (
    referral_id     TEXT PRIMARY KEY REFERENCES referrals (id),
    job_centre_code TEXT NOT NULL REFERENCES job_centres (code),
    reason          TEXT NOT NULL
);
CREATE INDEX referral_deliveries_centre_idx ON referral_deliveries (job_centre_code);
