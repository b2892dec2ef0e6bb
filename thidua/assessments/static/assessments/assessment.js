// Small behaviours of the self-assessment page. No inline scripts (CSP).
document.addEventListener("click", (event) => {
  const button = event.target.closest(".use-doc-date");
  if (!button) return;
  const input = document.getElementById(button.dataset.target);
  if (!input) return;
  input.value = button.dataset.date;
  input.dispatchEvent(new Event("change", { bubbles: true }));
});

document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
});
