// A render job's page updates itself while the job is queued or running: it fetches the page
// again every few seconds and replaces the status region (announced politely to screen readers).
// Without JavaScript, the Refresh link does the same by hand.
(function () {
  "use strict";
  var region = document.getElementById("job-status");
  if (!region || region.getAttribute("data-running") !== "1") { return; }
  function poll() {
    fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("job-status");
        if (!fresh) { return; }
        region.innerHTML = fresh.innerHTML;
        region.setAttribute("data-running", fresh.getAttribute("data-running"));
        if (fresh.getAttribute("data-running") === "1") { window.setTimeout(poll, 3000); }
      })
      .catch(function () { window.setTimeout(poll, 10000); });
  }
  window.setTimeout(poll, 3000);
}());
