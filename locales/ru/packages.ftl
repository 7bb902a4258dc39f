## Пакеты сессий (R-PAY-1): покупка, оплата, сессии пакета, возвраты.

card-btn-package = Купить пакет сессий
package-unavailable = Пакет у этого специалиста сейчас купить нельзя.
package-offer =
    <b>Пакет сессий со специалистом { $therapist }</b>
    Каждая сессия пакета стоит { $price } (ваша цена). Пакет оплачивается сразу целиком; каждая запись к этому специалисту использует одну сессию пакета. Отмена не позднее чем за 24 часа возвращает сессию в пакет; более поздняя — нет. Неиспользованные сессии можно вернуть деньгами.
    Выберите размер:
package-btn-size = Сессий: { $size } — { $total }
package-confirm =
    <b>Проверьте пакет</b>
    Индивидуальных сессий: { $size }, специалист { $therapist }
    Цена сессии: { $price }
    Итого к оплате сейчас: { $total }
package-description = Пакет сессий ({ $size }), { $therapist }
package-pay =
    <b>Пакет оформлен:</b> сессий: { $size }, специалист { $therapist }, по { $price }.
    Оплатите { $total } до { $deadline }; сумма списывается сразу после оплаты, и сессии становятся вашими.
package-payment-error = Пакет оформлен, но ссылку на оплату создать не удалось. Откройте /mybookings через минуту.
package-paid-client = Пакет оплачен: сессий: { $size }, специалист { $therapist } ({ $amount }). Выберите время в карточке специалиста; каждая запись использует одну сессию пакета.
package-late-returned = Оплата пакета у специалиста { $therapist } пришла после того, как пакет был отменён; деньги ({ $amount }) возвращаются на вашу карту.
package-expired = Пакет (сессий: { $size }) у специалиста { $therapist } не был оплачен вовремя и отменён.
package-not-yours = Это не ваш пакет.
package-not-payable = Этот пакет больше не ждёт оплаты.
package-line-active = Пакет: осталось { $left } из { $size } сессий у специалиста { $therapist }
package-line-awaiting = Пакет (сессий: { $size }) у специалиста { $therapist }: ждёт оплаты ({ $total })
package-btn-pay = Оплатить пакет (сессий: { $size })
book-confirm-credit =
    <b>Проверьте запись</b>
    { $kind }, специалист { $therapist }
    { $when }
    Оплачено сессией из вашего пакета (осталось { $left }); платить сейчас ничего не нужно.
    Бесплатная отмена до { $until } возвращает сессию в пакет.
book-confirmed-credit = <b>Запись подтверждена:</b> { $kind }, специалист { $therapist }, { $when }. Использована одна сессия пакета.
book-therapist-credit = Новая запись: { $client }, { $kind }, { $when }. Оплачено сессией из пакета.
my-pay-credit = оплачено сессией пакета
cancel-consequence-credit-back = Сессия возвращается в ваш пакет.
cancel-consequence-credit-kept = До начала меньше 24 часов, поэтому сессия пакета считается использованной.
package-admin-card =
    <b>Пакет { $id }</b>, специалист { $therapist }: { $state }
    Сессий: { $size } по { $price } (оплачено { $paid }); использовано { $used }, осталось { $left }, возвращено { $refunded } ({ $refunded_amount })
package-admin-refund-button = Вернуть неиспользованные сессии
package-admin-changed = Пакет за это время изменился. Откройте /client ещё раз.
package-refund-client = Неиспользованные сессии пакета у специалиста { $therapist } (штук: { $count }) возвращены: { $amount } возвращается на вашу карту.
# R-PAY-1: the package's payment-link message once paid or expired (edited in place, no buttons).
package-pay-closed-paid = <b>Оплачено ✓</b> Пакет: сессий: { $size }, специалист { $therapist }. Платить больше ничего не нужно; выберите время в карточке специалиста.
package-pay-closed-expired = <b>Время оплаты истекло.</b> Пакет (сессий: { $size }) у специалиста { $therapist } отменён. Ссылка на оплату больше не действует.
