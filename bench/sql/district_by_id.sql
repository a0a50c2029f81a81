-- The SQL behind GET /v1/districts/{district_id}: one primary-key select with its job centre.
SELECT d.code, d.name, d.job_centre_code, d.version, j.code, j.name, j.located_in
FROM districts d JOIN job_centres j ON j.code = d.job_centre_code
WHERE d.code = 'farsta';
