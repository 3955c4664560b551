// A list filter drawn as a drop-down (templates/admin/filter_select.html): choosing a row opens the list filtered by it.
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-filter-select]");
  if (select && select.value) window.location.search = select.value;
});
