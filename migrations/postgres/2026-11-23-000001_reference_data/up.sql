-- Reference data: job centres, the districts they serve, target groups, the activity catalogue
-- and the coded exit outcomes (DESIGN.md section 1). Codes are the stable public identifiers.
CREATE TABLE job_centres (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    located_in  TEXT NOT NULL,
    sort_order  INTEGER NOT NULL
);

CREATE TABLE districts (
    code              TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    job_centre_code   TEXT NOT NULL REFERENCES job_centres (code),
    sort_order        INTEGER NOT NULL
);
CREATE INDEX districts_job_centre_code_idx ON districts (job_centre_code);

CREATE TABLE target_groups (
    code         TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL,
    phase        INTEGER NOT NULL CHECK (phase IN (1, 2)),
    derived      BOOLEAN NOT NULL,
    sort_order   INTEGER NOT NULL
);

CREATE TABLE activity_types (
    code         TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL,
    sort_order   INTEGER NOT NULL
);

CREATE TABLE exit_outcomes (
    code                         TEXT PRIMARY KEY,
    name                         TEXT NOT NULL,
    description                  TEXT NOT NULL,
    requires_employment_details  BOOLEAN NOT NULL,
    requires_reason              BOOLEAN NOT NULL,
    sort_order                   INTEGER NOT NULL
);

INSERT INTO job_centres (code, name, located_in, sort_order) VALUES
    ('sydost',      'Jobbtorg Sydost',      'Vantör',      1),
    ('sydvast',     'Jobbtorg Sydväst',     'Skärholmen',  2),
    ('innerstaden', 'Jobbtorg Innerstaden', 'Kungsholmen', 3),
    ('vasterort',   'Jobbtorg Västerort',   'Vällingby',   4),
    ('jarva',       'Jobbtorg Järva',       'Kista',       5);

INSERT INTO districts (code, name, job_centre_code, sort_order) VALUES
    ('enskede-arsta-vantor',  'Enskede-Årsta-Vantör',  'sydost',      1),
    ('farsta',                'Farsta',                'sydost',      2),
    ('skarpnack',             'Skarpnäck',             'sydost',      3),
    ('skarholmen',            'Skärholmen',            'sydvast',     4),
    ('hagersten-liljeholmen', 'Hägersten-Liljeholmen', 'sydvast',     5),
    ('alvsjo',                'Älvsjö',                'sydvast',     6),
    ('kungsholmen',           'Kungsholmen',           'innerstaden', 7),
    ('norrmalm',              'Norrmalm',              'innerstaden', 8),
    ('ostermalm',             'Östermalm',             'innerstaden', 9),
    ('sodermalm',             'Södermalm',             'innerstaden', 10),
    ('hasselby-vallingby',    'Hässelby-Vällingby',    'vasterort',   11),
    ('bromma',                'Bromma',                'vasterort',   12),
    ('rinkeby-kista',         'Rinkeby-Kista',         'jarva',       13),
    ('spanga-tensta',         'Spånga-Tensta',         'jarva',       14);

INSERT INTO target_groups (code, name, description, phase, derived, sort_order) VALUES
    ('social_assistance_unemployed',    'Försörjningsstöd, arbetslös',             'Receives social assistance because of unemployment.', 1, FALSE, 1),
    ('social_assistance_new_applicant', 'Nysökande försörjningsstöd',              'Newly applying for social assistance.', 1, FALSE, 2),
    ('sfi_student',                     'SFI-studerande',                          'Studies Swedish for immigrants (SFI).', 1, FALSE, 3),
    ('refugee_introduction',            'Flyktingar och anhöriginvandrare',        'Adult refugees and family-reunion immigrants receiving introduction benefit.', 1, FALSE, 4),
    ('youth_16_24',                     'Ungdomar 16-24 år utan sysselsättning',   'Young person aged 16 to 24 without occupation; derived from the date of birth at intake, never typed in.', 1, TRUE, 5),
    ('social_assistance_other_reasons', 'Försörjningsstöd av andra skäl',          'Receives social assistance for reasons other than unemployment.', 2, FALSE, 6),
    ('disability_support',              'Personer med funktionsnedsättning',       'Persons with a disability who need support to work.', 2, FALSE, 7);

INSERT INTO activity_types (code, name, description, sort_order) VALUES
    ('mapping',                   'Utredning/kartläggning',              'Mapping of work history, education, language and needs; starts on day one.', 1),
    ('guidance',                  'Studie- och yrkesvägledning',         'Study and vocational guidance.', 2),
    ('counselling',               'Rådgivning',                          'Counselling.', 3),
    ('coaching',                  'Individuell coachning',               'Individual coaching.', 4),
    ('job_matching',              'Matchning mot jobb',                  'Matching against vacancies.', 5),
    ('sfi_test',                  'SFI-test',                            'Test of Swedish for immigrants level.', 6),
    ('sfi_with_internship',       'SFI med praktik',                     'Swedish for immigrants combined with an internship.', 7),
    ('preparatory',               'Förberedande insatser',               'Motivational and group sessions, CV writing, interview training.', 8),
    ('work_training',             'Arbetsträning',                       'Work training.', 9),
    ('internship',                'Praktik',                             'Internship at the level of language/introduction, work training or first step to a job.', 10),
    ('short_vocational_course',   'Kort yrkesutbildning',                'Short vocational course.', 11),
    ('validation',                'Validering',                          'Validation of vocational skills and grades.', 12),
    ('long_vocational_education', 'Längre yrkesutbildning',              'Longer vocational education.', 13),
    ('af_programme',              'Arbetsförmedlingens program',         'A programme of Arbetsförmedlingen''s own offer.', 14),
    ('recruitment_event',         'Rekryteringsträff',                   'Recruitment event.', 15),
    ('start_business_advice',     'Starta eget-rådgivning',              'Advice on starting a business.', 16),
    ('job_search',                'Eget arbetssökande',                  'Own job search supported by the coach.', 17);

INSERT INTO exit_outcomes (code, name, description, requires_employment_details, requires_reason, sort_order) VALUES
    ('employment',             'Arbete',                      'Employment; records employment form, extent, wage subsidy and optionally an SSYK 2012 occupation code.', TRUE, FALSE, 1),
    ('studies',                'Studier',                     'Studies.', FALSE, FALSE, 2),
    ('other_support',          'Annan myndighets insats',     'Moved to another authority''s programme, e.g. the Arbetsförmedlingen guarantee after 18 months.', FALSE, FALSE, 3),
    ('moved',                  'Flyttat',                     'Moved away from the municipality.', FALSE, FALSE, 4),
    ('sick_or_parental_leave', 'Sjukskrivning/föräldraledighet', 'Left because of sickness or parental leave.', FALSE, FALSE, 5),
    ('no_show',                'Uteblev',                     'Never arrived at the job centre.', FALSE, FALSE, 6),
    ('declined_participation', 'Avböjde deltagande',          'Declined to take part.', FALSE, FALSE, 7),
    ('deceased',               'Avliden',                     'Deceased.', FALSE, FALSE, 8),
    ('other',                  'Annat',                       'Another reason, given in free text.', FALSE, TRUE, 9);
