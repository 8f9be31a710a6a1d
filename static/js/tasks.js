// Forms that start a long job (class "task-form"): POST to data-url, then follow the task at
// /api/v1/tasks/<id>/ with a progress bar; when done, reload the page with ?task=<id> (where
// it shows the job's result) or open data-download.
// A job that failed or was interrupted (its worker stopped: data-interrupted says so) may be
// started again from the same form.
(function () {
  document.querySelectorAll(".task-form").forEach((form) => {
    const bar = form.querySelector(".bar");
    const box = form.querySelector(".progress");
    const state = form.querySelector(".task-state");
    const csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
    const button = form.querySelector("button");

    // The job has ended, or will not: the form may start it again.
    function again(text, failed) {
      state.textContent = text;
      state.classList.toggle("error-text", failed);
      box.hidden = failed;
      button.disabled = false;
    }

    async function follow(taskId) {
      const response = await fetch("/api/v1/tasks/" + taskId + "/", { credentials: "same-origin" });
      const task = await response.json();
      if (task.state === "PROGRESS" && task.progress.total) {
        bar.style.width = (100 * task.progress.done / task.progress.total) + "%";
        state.textContent = task.progress.done + " / " + task.progress.total;
      }
      if (task.state === "SUCCESS") {
        bar.style.width = "100%";
        again("✓", false);
        if (form.dataset.download) window.location = form.dataset.download + taskId + "/";
        else setTimeout(() => {
          // The page shows what the job did (its result) when reloaded with ?task=<id>.
          const url = new URL(window.location.href);
          url.searchParams.set("task", taskId);
          window.location = url;
        }, 600);
      } else if (task.state === "FAILURE") {
        again("✗", true);
      } else if (task.state === "INTERRUPTED") {
        again(form.dataset.interrupted, true);
      } else {
        setTimeout(() => follow(taskId), 700);
      }
    }

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      button.disabled = true;
      state.textContent = "";
      state.classList.remove("error-text");
      box.hidden = false;
      bar.style.width = "3%";
      const body = {};
      new FormData(form).forEach((value, key) => { if (key !== "csrfmiddlewaretoken") body[key] = value; });
      // data-query names a form whose fields select what the job works on (?status=...).
      const query = form.dataset.query
        ? "?" + new URLSearchParams(new FormData(document.querySelector(form.dataset.query)))
        : "";
      const response = await fetch(form.dataset.url + query, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify(body),
      });
      const answer = await response.json();
      if (response.status === 202) follow(answer.task_id);
      else again(JSON.stringify(answer), true);
    });
  });
})();
