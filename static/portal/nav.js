// The menu button on a phone: opens and closes the collapsed menu (all the portal asks of Bootstrap's JavaScript,
// which it no longer ships: 23 KB less on every first visit).
document.addEventListener("click", (event) => {
  const button = event.target.closest('[data-bs-toggle="collapse"]');
  if (!button) return;
  const target = document.querySelector(button.getAttribute("data-bs-target"));
  if (!target) return;
  const open = target.classList.toggle("show");
  button.setAttribute("aria-expanded", open ? "true" : "false");
  button.classList.toggle("collapsed", !open);
});
