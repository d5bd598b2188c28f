package com.acme.shop.model;

import java.time.Instant;

/** An add-to-cart with no checkout or purchase by the same user within 30 minutes. */
public record CartAbandonment(String userId, String productId, String eventId, Instant addedAt) {}
