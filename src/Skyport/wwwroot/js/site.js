// Sends the antiforgery token with every htmx request that changes something.
document.addEventListener("htmx:configRequest", (event) => {
    const token = document.querySelector('input[name="__RequestVerificationToken"]');
    if (token) {
        event.detail.headers["RequestVerificationToken"] = token.value;
    }
});

// The pages' small behaviours, by data attribute: the Content-Security-Policy allows no inline script. Listeners sit on
// the document, so that parts swapped in by htmx behave the same.
document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.dataset.confirm !== undefined && !confirm(form.dataset.confirm)) {
        event.preventDefault();
        return;
    }
    if (form.dataset.openPath !== undefined) {
        // A picker that opens a page by the chosen id (e.g. a customer's price list).
        event.preventDefault();
        location.href = form.dataset.openPath + encodeURIComponent(document.getElementById(form.dataset.openSelect).value);
        return;
    }
    if (form.dataset.disableOnSubmit !== undefined) {
        // Against a second click while Partner Center is called.
        form.querySelectorAll("button[type=submit]").forEach((button) => { button.disabled = true; });
    }
});

document.addEventListener("change", (event) => {
    const input = event.target;
    if (input.dataset.checkAll) {
        document.querySelectorAll(input.dataset.checkAll).forEach((box) => { box.checked = input.checked; });
    }
    if (input.dataset.hides) {
        document.getElementById(input.dataset.hides).hidden = input.checked;
    }
    if (input.dataset.shows) {
        document.getElementById(input.dataset.shows).hidden = input.value !== input.dataset.showsWhen;
    }
});

document.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) {
        return;
    }
    if (button.dataset.openDialog) {
        document.getElementById(button.dataset.openDialog).showModal();
    }
    if (button.dataset.closeDialog !== undefined) {
        button.closest("dialog").close();
    }
});
