export { AsyncContextSlot } from './async-context-slot.js';
