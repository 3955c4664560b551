// What a layout must hold, checked in the page: returns a list of problems (empty: the page holds).
// Called as page.evaluate(source, {desktop}) by tests/e2e/test_layout.py.
({ desktop }) => {
  const problems = [];
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && s.display !== "none";
  };
  // Lines a piece of text takes: distinct tops of its boxes, half a font size apart.
  const linesOf = (range, fontSize) => {
    const tops = [...range.getClientRects()].filter((r) => r.width > 0.5).map((r) => r.top).sort((a, b) => a - b);
    let n = 0;
    let last = -1e9;
    for (const top of tops) {
      if (top - last > fontSize * 0.5) {
        n += 1;
        last = top;
      }
    }
    return n;
  };
  const lines = (el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return linesOf(range, parseFloat(getComputedStyle(el).fontSize));
  };
  const label = (el) => (el.innerText || el.value || "").trim().replace(/\s+/g, " ").slice(0, 40);
  const where = (el) => {
    const table = el.closest("table");
    return table ? (table.id ? `#${table.id}` : table.className.split(" ").slice(0, 2).join(".") || "table") : "";
  };

  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth + 1) {
    problems.push(`the page scrolls sideways: ${doc.scrollWidth}px in a ${window.innerWidth}px window`);
  }

  for (const b of document.querySelectorAll("button, a.btn, .btn, .page-link")) {
    if (!visible(b) || !label(b)) continue;
    if (lines(b) > 1) problems.push(`a button's label wraps: "${label(b)}"`);
  }

  for (const cell of document.querySelectorAll("td, th")) {
    if (!visible(cell) || !cell.innerText.trim()) continue;
    const s = getComputedStyle(cell);
    const fontSize = parseFloat(s.fontSize);
    const width = cell.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
    if (width < 2 * fontSize - 1 && lines(cell) > 1) {
      problems.push(`a table cell narrower than 2 characters (${Math.round(width)}px) ${where(cell)}: "${label(cell)}"`);
    }
  }

  // Dates and times: 2026-12-04, 2026-12-04 09:30, 09:30–10:00, 12/4
  const DATE = /\d{4}-\d{1,2}-\d{1,2}(?:\s\d{1,2}:\d{2})?|\d{1,2}:\d{2}(?:\s?[–-]\s?\d{1,2}:\d{2})?|\d{4}年\d{1,2}月\d{1,2}日/g;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const parent = node.parentElement;
    if (!parent || !visible(parent) || parent.closest("script, style, textarea, option")) continue;
    const fontSize = parseFloat(getComputedStyle(parent).fontSize);
    for (const m of node.data.matchAll(DATE)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      if (linesOf(range, fontSize) > 1) problems.push(`a date breaks mid-string: "${m[0]}"`);
    }
  }

  if (desktop) {
    // Lists: the site's tables (in .table-responsive) and the admin's change lists.
    for (const el of document.querySelectorAll(".table-responsive, #changelist .results")) {
      if (!visible(el)) continue;
      if (el.scrollWidth > el.clientWidth + 1 && el.querySelector("table")) {
        problems.push(`a table scrolls sideways at ${window.innerWidth}px: ${where(el.querySelector("table"))}`);
      }
    }
  }
  return [...new Set(problems)];
};
