"""The use cases of the service, shared by the command line and the portal: ingesting and
receiving uploads, review decisions, templates with deadlines, render jobs, reminders,
invitations, the dashboard, status and the demo. The CLI and the portal parse their input,
call a function here and present its result; this package imports neither of them."""
