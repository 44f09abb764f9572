/**
 * The consumer runtime's machinery: claim loop, dispatcher, lease keeper, ack batcher, dead
 * letterer, producer batcher. <b>Internal: not supported, may change without notice.</b>
 */
package io.sluice.consumer.internal;
