// Upload progress for the source-data form (sources/_upload_form.html), driven by htmx 2
// events: a <progress> while the file travels, then "checking" while the server validates
// every row. Listeners sit on the document, so the form swapped in after an error works
// too; no inline handlers, which the Content-Security-Policy will forbid.
(function () {
  "use strict";
  if (window.thiduaSourceUpload) {
    return;
  }
  window.thiduaSourceUpload = true;

  function formOf(element) {
    return element && element.closest ? element.closest("form.source-upload") : null;
  }

  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = formOf(event.target);
    var bar = form ? form.querySelector("progress.source-progress") : null;
    if (!bar || !event.detail || !event.detail.lengthComputable || !event.detail.total) {
      return;
    }
    bar.hidden = false;
    bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
    var checking = form.querySelector(".source-checking");
    if (checking && event.detail.loaded >= event.detail.total) {
      checking.hidden = false;
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = formOf(event.target);
    if (!form) {
      return;
    }
    var bar = form.querySelector("progress.source-progress");
    var checking = form.querySelector(".source-checking");
    if (bar) {
      bar.hidden = true;
      bar.value = 0;
    }
    if (checking) {
      checking.hidden = true;
    }
  });
})();
