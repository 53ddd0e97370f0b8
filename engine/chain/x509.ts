/**
 * @peculiar/x509, loaded after the Reflect metadata API it needs (its
 * dependency tsyringe requires it). Import X.509 classes from here.
 */
import 'reflect-metadata';
export * from '@peculiar/x509';
