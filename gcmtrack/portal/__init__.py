"""The portal: the web pages and the HTTP API (v1) of the shared service, a Django
application on the store's database. Submitters upload and get an answer at once, staff
review, reviewers read the published reports."""
