// Keyboard shortcuts of a narrative passage's page: a accept, c change, r reject, n next. They
// press the page's real buttons (which work without JavaScript, by Tab and Enter); a key typed
// in a field or with a modifier is left alone.
(function () {
  "use strict";
  var form = document.getElementById("decide");
  if (!form) { return; }
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    var tag = (event.target && event.target.tagName) || "";
    if (tag === "INPUT" && event.target.type !== "checkbox" || tag === "SELECT" || tag === "TEXTAREA") { return; }
    var button = form.querySelector('button[data-key="' + event.key.toLowerCase() + '"]');
    if (!button) { return; }
    event.preventDefault();
    button.focus();
    button.click();
  });
}());
