/** @peculiar/x509, loaded after the Reflect polyfill it needs. Import X.509 classes from here. */
import './reflect-polyfill.js';
export * from '@peculiar/x509';
