// The print page's button: open the browser's print dialog (print or save as PDF). No inline scripts (CSP).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
