// Sends the antiforgery token with every htmx request that changes something.
document.addEventListener("htmx:configRequest", (event) => {
    const token = document.querySelector('input[name="__RequestVerificationToken"]');
    if (token) {
        event.detail.headers["RequestVerificationToken"] = token.value;
    }
});
