-- The therapist's gender (issue 6, step 4): optional, matched against the client's
-- questionnaire preference (R-CLI-2, R-CLI-4). NULL: not said, never matched.
ALTER TABLE therapist_profiles ADD COLUMN gender TEXT CHECK (gender IN ('female', 'male'));
