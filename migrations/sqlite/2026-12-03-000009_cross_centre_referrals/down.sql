DROP TABLE referral_deliveries;
