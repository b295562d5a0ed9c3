import './media.js';
