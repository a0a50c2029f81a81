-- A participant's follow-ups are read with the participant: by participant, not by a scan.
CREATE INDEX follow_ups_participant_idx ON follow_ups (participant_id);
