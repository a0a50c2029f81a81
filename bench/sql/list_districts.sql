-- The SQL behind GET /v1/districts: every district joined with its job centre.
SELECT d.code, d.name, d.job_centre_code, d.version, j.code, j.name, j.located_in
FROM districts d JOIN job_centres j ON j.code = d.job_centre_code
ORDER BY d.sort_order;
