-- Counts requests for assignment, so that a worker that finds assignment already running can
-- leave its ticket to the running assignment, which re-runs until no request arrived meanwhile
-- (helpdesk/src/services/assignment.ts). Sequences are not transactional: a bump is seen at once.
CREATE SEQUENCE "assignment_requests";
