// Starts the month's computation and follows its task until it is done.
(function () {
  const form = document.getElementById("compute");
  const bar = form.querySelector(".bar");
  const box = form.querySelector(".progress");
  const state = document.getElementById("compute-state");
  const csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;

  async function follow(taskId) {
    const response = await fetch(form.dataset.taskUrl + taskId + "/", { credentials: "same-origin" });
    const task = await response.json();
    if (task.state === "PROGRESS" && task.progress.total) {
      bar.style.width = (100 * task.progress.done / task.progress.total) + "%";
      state.textContent = task.progress.done + " / " + task.progress.total;
    }
    if (task.state === "SUCCESS") {
      bar.style.width = "100%";
      state.textContent = "✓ " + task.result.computed + " / " + task.result.orders;
      setTimeout(() => window.location.reload(), 600);
    } else if (task.state === "FAILURE") {
      state.textContent = "✗";
    } else {
      setTimeout(() => follow(taskId), 700);
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    box.hidden = false;
    bar.style.width = "3%";
    const response = await fetch(form.dataset.url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ month: form.month.value }),
    });
    const body = await response.json();
    if (response.status === 202) follow(body.task_id);
    else state.textContent = JSON.stringify(body);
  });
})();
