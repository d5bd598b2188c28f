package com.acme.shop.model;

import java.time.Instant;

/** A domain event that carries its own event time, which drives watermarks and windows. */
public interface EventTimed {
  Instant eventTime();
}
