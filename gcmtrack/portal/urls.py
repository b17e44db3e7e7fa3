"""Every URL of the portal and the API. Each view asks access.py, so a URL outside the
caller's scope answers 404 (tests/test_portal_security.py requests every one of them)."""

from django.urls import include, path, register_converter

from gcmtrack.common.languages import LANGS
from gcmtrack.portal import admin, api, authoring, mfa, narrative, recovery, views
from gcmtrack.portal.language import set_language


class _Process:
    regex = "[A-Za-z0-9_+-]{1,20}"

    def to_python(self, value):
        return value.upper()

    def to_url(self, value):
        return str(value)


class _Lang:
    regex = "|".join(LANGS)

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(_Process, "pid")
register_converter(_Lang, "lang")

# a process's review of one cycle, under review/<process>/<cycle>/
_authoring = [
    path("", authoring.author, name="author"),
    path("text/<slug:section>/", authoring.section, name="author_section"),
    path("text/<slug:section>/<int:round_table>/", authoring.section, name="author_section_rt"),
    path("featured/<int:featured_id>/remove/", authoring.unfeature, name="author_unfeature"),
    path("inputs/", authoring.add_input, name="author_input"),
    path("indicators/", authoring.import_indicators, name="author_indicators"),
    path("disclosure/", authoring.disclosure, name="author_disclosure"),
    path("final/", authoring.mark_final, name="author_final"),
]
_review = [
    path("", views.dashboard, name="dashboard"),
    path("deadline/", views.set_deadline, name="deadline"),
    path("export.<str:fmt>", views.export, name="export"),
    path("render/", views.render_reports, name="render"),
    path("preview/<lang:lang>.<str:fmt>", views.preview, name="preview"),
    path("unpublish/", views.unpublish, name="unpublish"),
    path("author/<lang:lang>/", include(_authoring)),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("signin/", views.signin, name="signin"),
    path("signin/code/", mfa.signin_mfa, name="signin_mfa"),
    path("signin/authenticator/", mfa.mfa_setup, name="mfa_setup"),
    path("signout/", views.signout, name="signout"),
    path("password/", views.password, name="password"),
    path("invite/<str:token>/", views.invite, name="invite"),
    path("reset/", recovery.ResetRequest.as_view(), name="reset"),
    path("reset/sent/", recovery.ResetSent.as_view(), name="reset_sent"),
    path("reset/<uidb64>/<token>/", recovery.ResetConfirm.as_view(), name="reset_confirm"),
    path("reset/done/", recovery.ResetDone.as_view(), name="reset_done"),
    path("language/", set_language, name="set_language"),
    path("state/", views.state_home, name="state_home"),
    path("template/<int:cycle>/<lang:lang>/", views.template_download, name="template"),
    path("upload/", views.upload, name="upload"),
    path("checks/<str:token>/annotated/", views.check_annotated, name="check_annotated"),
    path("submissions/<int:submission_id>/", views.submission, name="submission"),
    path("submissions/<int:submission_id>/decide/", views.decide, name="decide"),
    path("submissions/<int:submission_id>/messages/", views.post_message, name="post_message"),
    path("submissions/<int:submission_id>/file/", views.original, name="original"),
    path("submissions/<int:submission_id>/annotated/", views.annotated, name="annotated"),
    path("review/", views.review_index, name="review_index"),
    path("review/digest/", views.digest_preference, name="digest_preference"),
    path("review/<pid:process_id>/<int:cycle>/", include(_review)),
    path("submissions/<int:submission_id>/feature/", authoring.feature, name="author_feature"),
    path("narratives/upload/", narrative.upload, name="narrative_upload"),
    path("narratives/<int:submission_id>/", narrative.overview, name="narrative"),
    path("narratives/<int:submission_id>/passages/<int:number>/", narrative.passage, name="narrative_passage"),
    path("narratives/<int:submission_id>/statuses/", narrative.statuses, name="narrative_statuses"),
    path("narratives/<int:submission_id>/confirm/", narrative.confirm, name="narrative_confirm"),
    path("jobs/<int:job_id>/", views.job, name="job"),
    path("reports/", views.reports, name="reports"),
    path("tokens/", admin.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", admin.token_revoke, name="token_revoke"),
    path("admin/accounts/", admin.accounts, name="admin_accounts"),
    path("admin/accounts/<int:account_id>/", admin.account, name="admin_account"),
    path("admin/accounts/<int:account_id>/<slug:action>/", admin.account_action, name="admin_account_action"),
    path("admin/audit/", admin.audit, name="audit"),
    path("admin/audit.csv", admin.audit_csv, name="audit_csv"),
    path("reports/<pid:process_id>/<int:cycle>/<lang:lang>.<str:fmt>", views.report_file, name="report_file"),
    path("reports/<pid:process_id>/<int:cycle>/staff/<lang:lang>.<str:fmt>", views.staff_report_file,
         name="staff_report_file"),
    # HTTP API v1
    path("api/v1/me", api.me, name="api_me"),
    path("api/v1/submissions", api.submissions, name="api_submissions"),
    path("api/v1/validate", api.validate, name="api_validate"),
    path("api/v1/submissions/<int:submission_id>", api.submission, name="api_submission"),
    path("api/v1/submissions/<int:submission_id>/file", api.submission_file, name="api_submission_file"),
    path("api/v1/submissions/<int:submission_id>/review", api.review, name="api_review"),
    path("api/v1/submissions/<int:submission_id>/explain", api.explain, name="api_explain"),
    path("api/v1/submissions/<int:submission_id>/diff", api.diff, name="api_diff"),
    path("api/v1/processes/<pid:process_id>/cycles/<int:cycle>/score", api.score, name="api_score"),
    path("api/v1/narratives", narrative.api_upload, name="api_narratives"),
    path("api/v1/narratives/<int:submission_id>", narrative.api_narrative, name="api_narrative"),
    path("api/v1/narratives/<int:submission_id>/decisions", narrative.api_decisions, name="api_narrative_decisions"),
    path("api/v1/narratives/<int:submission_id>/statuses", narrative.api_statuses, name="api_narrative_statuses"),
]

handler404 = "gcmtrack.portal.pages.not_found"
handler500 = "gcmtrack.portal.pages.server_error"
