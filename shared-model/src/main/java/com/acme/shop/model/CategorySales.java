package com.acme.shop.model;

import java.math.BigDecimal;

/** Non-cancelled orders of one product category ({@code cdc.sales-by-category}). */
public record CategorySales(String category, long orders, long units, BigDecimal revenue) {}
