// Behaviour shared by every page. No inline handlers: the Content-Security-Policy forbids
// them, so elements opt in with data attributes.
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field instanceof HTMLSelectElement && field.hasAttribute("data-autosubmit") && field.form) {
    field.form.submit();
  }
});
