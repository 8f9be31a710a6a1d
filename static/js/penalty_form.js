// The breach form (templates/governance/penalty_form.html): the clauses its kind allows, and
// the portal's proposal for the chosen contract or order, clause and kind, asked of the server
// as the user chooses (governance/penalties/proposal/), which rounds as it will on save.
(function () {
  const form = document.getElementById("penalty-form");
  if (!form) return;
  const kind = form.querySelector("[name=kind]");
  const clause = form.querySelector("[name=clause]");
  const order = form.querySelector("[name=order]");
  const shown = document.getElementById("proposal");
  const basis = document.getElementById("proposal-basis");
  let asked = 0; // the latest request: an older answer arriving late is dropped
  // "151457.20" → "¥151,457.20", as the portal's pages print money.
  const yuan = (text) => `¥${text.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}`;

  const clauses = () => {
    for (const option of clause.options) {
      option.disabled = !option.dataset[kind.value];
    }
    if (clause.selectedOptions[0].disabled) {
      clause.value = [...clause.options].find((option) => !option.disabled).value;
    }
  };

  const propose = async () => {
    const query = new URLSearchParams({
      contract: form.querySelector("[name=contract]").value,
      order: order.value,
      kind: kind.value,
      clause: clause.value,
    });
    const mine = ++asked;
    const response = await fetch(`${form.dataset.proposalUrl}?${query}`, {
      headers: { Accept: "application/json" },
    });
    const answer = await response.json();
    if (mine !== asked) return;
    shown.textContent = answer.error ? "—" : yuan(answer.proposed_amount);
    basis.textContent = answer.error || `${answer.basis}：${yuan(answer.basis_amount)}`;
  };

  kind.addEventListener("change", () => {
    clauses();
    propose();
  });
  clause.addEventListener("change", propose);
  order.addEventListener("change", propose);
  clauses();
  propose();
})();
