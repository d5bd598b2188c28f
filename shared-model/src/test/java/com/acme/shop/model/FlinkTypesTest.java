package com.acme.shop.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.kafka.DeadLetter;
import com.acme.shop.kafka.Parsed;
import com.acme.shop.kafka.RawRecord;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every type that crosses a Flink operator must get Flink's own serializer, never Kryo. */
class FlinkTypesTest {
  static List<Class<?>> types() {
    return List.of(
        ClickEvent.class,
        PaymentTransaction.class,
        LoginEvent.class,
        AccountCommand.class,
        OrderEvent.class,
        CustomerRow.class,
        ProductRow.class,
        OrderRow.class,
        PageViewCount.class,
        EventRate.class,
        SessionSummary.class,
        CartAbandonment.class,
        BotAlert.class,
        FraudAlert.class,
        AccountEvent.class,
        CommandRejection.class,
        AccountBalance.class,
        SagaState.class,
        OrderCommand.class,
        PaymentLatency.class,
        OrderEnriched.class,
        CategorySales.class,
        CustomerSummary.class,
        DeadLetter.class,
        RawRecord.class);
  }

  static SerializerConfigImpl noGenericTypes() {
    SerializerConfigImpl config = new SerializerConfigImpl();
    config.setGenericTypes(false);
    return config;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("types")
  void isAPojoWithoutKryo(Class<?> type) {
    TypeInformation<?> info = TypeInformation.of(type);
    assertThat(info).isInstanceOf(PojoTypeInfo.class);
    // Throws UnsupportedOperationException if any field would need Kryo.
    TypeSerializer<?> serializer = info.createSerializer(noGenericTypes());
    assertThat(serializer).isInstanceOf(PojoSerializer.class);
  }

  @Test
  void genericEnvelopesToo() {
    TypeInformation<Change<OrderRow>> change = TypeInformation.of(new TypeHint<>() {});
    assertThat(change).isInstanceOf(PojoTypeInfo.class);
    change.createSerializer(noGenericTypes());

    TypeInformation<Parsed<ClickEvent>> parsed =
        Parsed.typeInfo(TypeInformation.of(ClickEvent.class));
    assertThat(parsed.createSerializer(noGenericTypes())).isInstanceOf(PojoSerializer.class);
  }
}
