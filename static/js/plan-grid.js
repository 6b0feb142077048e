/* The financing plan grid: totals, CNSA rate and gaps recomputed while typing, changed cells
   highlighted. Amounts are whole cents in BigInt: no floating point on money. */
(function () {
  "use strict";
  var table = document.querySelector("[data-plan-grid]");
  if (!table) { return; }
  var cnsa = table.getAttribute("data-cnsa");
  var inputs = Array.prototype.slice.call(table.querySelectorAll("input.plan-input"));

  function parse(text) {
    var clean = text.replace(/[\s\u00a0\u202f€]/g, "").replace(",", ".");
    if (clean === "") { return 0n; }
    var match = /^(-?)(\d+)(?:\.(\d{0,2}))?$/.exec(clean);
    if (!match) { return null; }
    var cents = BigInt(match[2]) * 100n + BigInt(((match[3] || "") + "00").slice(0, 2));
    return match[1] ? -cents : cents;
  }

  function euros(cents) {
    var negative = cents < 0n;
    var value = negative ? -cents : cents;
    var units = (value / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
    var rest = (value % 100n).toString().padStart(2, "0");
    return (negative ? "-" : "") + units + "," + rest + "\u00a0€";
  }

  function rate(part, whole) {
    if (whole === 0n) { return "—"; }
    var hundredths = (part * 20000n + whole) / (2n * whole);  /* half up, in hundredths of % */
    return euros(hundredths).replace("\u00a0€", "\u00a0%");
  }

  function add(map, key, cents) { map[key] = (map[key] || 0n) + cents; }

  function show(selector, text) {
    var nodes = document.querySelectorAll(selector);
    for (var i = 0; i < nodes.length; i++) { nodes[i].textContent = text; }
  }

  function recompute() {
    var rows = {}, axisCols = {}, axes = {}, cols = {}, funders = {}, total = 0n, changed = 0;
    inputs.forEach(function (input) {
      var cents = parse(input.value);
      var isChanged = input.value.trim() !== input.getAttribute("data-stored");
      input.classList.toggle("plan-input--changed", isChanged);
      if (isChanged) { changed += 1; }
      if (cents === null) { return; }
      add(rows, input.getAttribute("data-row"), cents);
      add(axisCols, input.getAttribute("data-axis") + "-" + input.getAttribute("data-col"), cents);
      add(axes, input.getAttribute("data-axis"), cents);
      add(cols, input.getAttribute("data-col"), cents);
      add(funders, input.getAttribute("data-funder"), cents);
      total += cents;
    });
    Object.keys(rows).forEach(function (k) { show('[data-row-total="' + k + '"]', euros(rows[k])); });
    Object.keys(axisCols).forEach(function (k) { show('[data-axis-col="' + k + '"]', euros(axisCols[k])); });
    Object.keys(axes).forEach(function (k) { show('[data-axis-total="' + k + '"]', euros(axes[k])); });
    Object.keys(cols).forEach(function (k) { show('[data-col-total="' + k + '"]', euros(cols[k])); });
    Object.keys(funders).forEach(function (k) {
      show('[data-funder-total="' + k + '"]', euros(funders[k]));
      show('[data-funder-share="' + k + '"]', rate(funders[k], total));
    });
    var cnsaTotal = funders[cnsa] || 0n;
    show("[data-grand-total]", euros(total));
    show("[data-cnsa-total]", euros(cnsaTotal));
    show("[data-cnsa-rate]", rate(cnsaTotal, total));
    [["total", total], ["cnsa", cnsaTotal]].forEach(function (pair) {
      var cell = document.querySelector('[data-gap="' + pair[0] + '"]');
      if (!cell) { return; }
      var gap = pair[1] - parse(cell.getAttribute("data-signed"));
      cell.textContent = euros(gap);
      cell.classList.toggle("plan-gap", gap !== 0n);
    });
    show("[data-changed-count]", changed === 0 ? "" :
      changed + (changed > 1 ? " cases modifiées, non enregistrées." : " case modifiée, non enregistrée."));
  }

  table.addEventListener("input", recompute);
  recompute();
})();
