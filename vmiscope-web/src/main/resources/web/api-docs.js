// The API's reference page: Swagger UI over the contract the server is built to (no inline script: CSP).
window.ui = SwaggerUIBundle({url: '/openapi.yaml', dom_id: '#swagger-ui', deepLinking: true});
