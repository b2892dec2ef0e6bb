// Upload progress for the evidence forms (evidence/_evidence_list.html), driven by htmx 2
// events. Listeners sit on the document, so forms swapped in later work too; no inline
// handlers, which the Content-Security-Policy will forbid.
(function () {
  "use strict";
  if (window.thiduaEvidenceUpload) {
    return;
  }
  window.thiduaEvidenceUpload = true;

  function progressOf(element) {
    var form = element && element.closest ? element.closest("form.evidence-upload") : null;
    return form ? form.querySelector("progress.evidence-progress") : null;
  }

  document.addEventListener("htmx:xhr:progress", function (event) {
    var bar = progressOf(event.target);
    if (!bar || !event.detail || !event.detail.lengthComputable || !event.detail.total) {
      return;
    }
    bar.hidden = false;
    bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var bar = progressOf(event.target);
    if (bar) {
      bar.hidden = true;
      bar.value = 0;
    }
  });
})();
