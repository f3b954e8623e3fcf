// No framework: listen to the element's events and read the form like any other.
const form = document.querySelector('#sign');

form.addEventListener('esign-change', (event) => {
  document.querySelector('#last-change').textContent = JSON.stringify(event.detail.value);
});

form.addEventListener('submit', (event) => {
  event.preventDefault();
  document.querySelector('#submitted').textContent = JSON.stringify(Object.fromEntries(new FormData(form)));
});
