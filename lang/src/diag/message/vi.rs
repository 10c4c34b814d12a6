//! The Vietnamese wording of every diagnostic text, as a Sở's staff write it: chỉ số, điểm tối
//! đa, đầu vào, trụ cột, cơ quan chủ trì, đơn vị tính; numbers the Vietnamese way (`6,03`,
//! `20.659`). Code between backticks is quoted as written in the rulebook, keywords included.

use super::{
    BadDate, BadValue, Bound, Cell, Found, Hint, Message, Note, Op, OutsideDomain, TestGot, Thing, Unit, Val, Wanted,
    Witness, Ymd,
};
use crate::num::Num;

/// The main text.
pub(super) fn message(m: &Message) -> String {
    use Message as M;
    match m {
        M::DeclaredTwice { thing, name } => format!("{} `{name}` được khai báo hai lần", self::thing(*thing)),
        M::NameDeclaredTwice { name } => format!("`{name}` được khai báo hai lần"),
        M::ParamDeclaredTwice { name } => format!("tham số `{name}` được khai báo hai lần"),
        M::FieldDeclaredTwice { field, section } => {
            format!("trường `{field}` được khai báo hai lần trong mục `{section}`")
        }
        M::SecondPlan => "mỗi tệp chỉ khai báo một `plan`; đây là kế hoạch thứ hai".into(),
        M::ColumnTwice { column, first } => {
            format!("cột \"{column}\" đã là cột của `{first}`: tệp số liệu không thể phân biệt hai cột này")
        }
        M::ColumnReserved { column, reader_header: true } => format!(
            "\"{column}\" không thể làm tên cột của một đầu vào: bộ đọc số liệu dành riêng `unit`, `indicator`, `input` và `value`"
        ),
        M::ColumnReserved { column, reader_header: false } => {
            format!("\"{column}\" không thể làm tên cột của một đầu vào: tên cột phải có chữ hoặc chữ số")
        }
        M::AgencyInRulebook { name, title } => {
            format!("cơ quan `{name}` đã được khai báo trong bộ chỉ số của kế hoạch (\"{title}\")")
        }
        M::SourceIdCollides { id, printed, title } => format!(
            "chỉ số {id} được in là `{printed}` trong văn bản gốc, trùng với mã của chỉ số {printed} \"{title}\""
        ),
        M::UnknownLocale { name } => format!("không rõ quy ước viết số `{name}`"),
        M::UnknownAgency { name } => format!("cơ quan `{name}` chưa được khai báo"),
        M::CannotFind { name } => format!("không tìm thấy `{name}` trong phạm vi này"),
        M::CannotFindFunction { name } => format!("không tìm thấy hàm `{name}`"),
        M::NoSuchInput { target, name, inputs } => {
            format!("{target} không có đầu vào `{name}` (các đầu vào: {})", inputs.join(", "))
        }
        M::NoPillar { id } => format!("không có trụ cột `{id}`"),
        M::NoIndicator { id } => format!("không có chỉ số `{id}`"),
        M::NoOwner { id } => format!("chỉ số {id} chưa có cơ quan phụ trách"),
        M::NoMax { id } => format!("chỉ số {id} chưa có điểm tối đa (`max`)"),
        M::NoScore { id } => format!("chỉ số {id} chưa có cách tính điểm (`score`)"),
        M::MaxNotNumber => "điểm tối đa (`max`) phải là một số điểm".into(),
        M::PillarMaxNotNumber => "điểm tối đa của trụ cột phải là một số".into(),
        M::IndexNotNumber { found } => format!("chỉ số tổng hợp (`index`) phải là một số, nhưng đây là {}", unit(found)),
        M::IndexScale { scale, total } => format!(
            "chỉ số tổng hợp chia cho {}, nhưng tổng điểm tối đa của các trụ cột là {}",
            num(scale),
            num(total)
        ),
        M::PillarTotal { pillar, declared, sum } => format!(
            "trụ cột {pillar} có điểm tối đa {}, nhưng tổng điểm tối đa các chỉ số của trụ cột là {}",
            num(declared),
            num(sum)
        ),
        M::SubTotal { id, declared, sum } => format!(
            "chỉ số {id} có điểm tối đa {}, nhưng tổng điểm tối đa các chỉ số thành phần là {}",
            num(declared),
            num(sum)
        ),
        M::InputUnusedInScore { name } => format!("đầu vào `{name}` không được dùng trong cách tính điểm"),
        M::CallsItself { name } => format!("hàm `{name}` gọi lại chính nó"),
        M::FunctionTooDeep { name, bodies, steps } => format!(
            "hàm `{name}` lồng nhau quá sâu khi triển khai các hàm nó gọi (quá {bodies} thân hàm lồng trong nhau, hoặc {steps} bước lồng nhau)"
        ),
        M::LetTooDeep { name, steps } => {
            format!("`{name}` được tính qua hơn {steps} bước lồng nhau (`let`, hàm và phép toán)")
        }
        M::ScoreTooDeep { steps } => {
            format!("cách tính điểm đi qua hơn {steps} bước lồng nhau (`let`, hàm và phép toán)")
        }
        M::DefaultOutside { value, name, why } => {
            let why = match why {
                OutsideDomain::NotWhole => "số đếm phải là số nguyên".to_string(),
                OutsideDomain::NotPositive => "đầu vào được khai báo `positive` (lớn hơn 0)".to_string(),
                OutsideDomain::AtLeast(v) => format!("giá trị của đầu vào tối thiểu là {}", val(v)),
                OutsideDomain::AtMost(v) => format!("giá trị của đầu vào tối đa là {}", val(v)),
            };
            format!("giá trị mặc định {} của `{name}` nằm ngoài miền giá trị của đầu vào: {why}", val(value))
        }
        M::NestedCohort { outer, inner } => {
            format!("đối số của `{outer}` phụ thuộc vào `{inner}`, cũng là một phép so sánh giữa các đơn vị")
        }
        M::MaxOutsideIndicator => "`max` (điểm tối đa của chỉ số) được dùng ngoài chỉ số".into(),
        M::TotalOutsideIndex => "`total` chỉ được dùng trong `index` của bộ chỉ số".into(),
        M::CannotNegate { found } => format!("không thể đổi dấu {}", unit(found)),
        M::WhenNeedsNumber { found } => format!("`when` so sánh các số, nhưng đây là {}", unit(found)),
        M::EmptyRange { low, high } => {
            format!("khoảng {low}..{high} rỗng: cận dưới lớn hơn cận trên")
        }
        M::CannotCompare { left, right } => format!("không thể so sánh {} với {}", unit(left), unit(right)),
        M::MatchNeedsChoice { found } => format!("`match` cần một giá trị lựa chọn, nhưng đây là {}", unit(found)),
        M::NotAnOption { name, options } => {
            format!("`{name}` không thuộc các lựa chọn {{ {} }}", options.join(", "))
        }
        M::MatchMissing { missing } => format!("`match` chưa xét {}", quoted_list(missing)),
        M::WrongArgCount { name, want, at_least, given } => {
            let want = if *at_least { format!("ít nhất {want}") } else { want.to_string() };
            format!("`{name}` nhận {want} đối số, nhưng được truyền {given}")
        }
        M::CohortOutsideIndicator { name } => {
            format!("`{name}` so sánh giữa các đơn vị nên chỉ dùng được trong một chỉ số")
        }
        M::NeedsNumber { name, found } => format!("`{name}` cần một số, nhưng đây là {}", unit(found)),
        M::MixedUnitsIn { name, left, right } => {
            format!("`{name}` của {} và {} (khác đơn vị tính)", unit(left), unit(right))
        }
        M::PartNeedsLabel => "`part` cần một chuỗi nhãn ở đối số đầu tiên".into(),
        M::CannotCombine { op, left, right } => {
            let verb = match op {
                Op::Add => "cộng",
                Op::Subtract => "trừ",
                Op::Multiply => "nhân",
                Op::Divide => "chia",
                Op::Compare => "so sánh",
            };
            format!("không thể {verb} {} và {}", unit(left), unit(right))
        }
        M::BarePercentBound { text, shown } => format!(
            "tỷ lệ phần trăm được so sánh với số {text} không có dấu %, tức là {}%",
            num(shown)
        ),
        M::PercentTimesHundred { expr } => format!(
            "`{expr}` là tỷ lệ phần trăm viết thành số điểm phần trăm, không phải điểm của chỉ số"
        ),
        M::BranchUnits { left, right } => {
            format!("các nhánh có đơn vị tính khác nhau: {} và {}", unit(left), unit(right))
        }
        M::ExpectedCondition { found } => format!("cần một điều kiện có/không, nhưng đây là {}", unit(found)),
        M::InputValueUnit { name, declared, found } => {
            format!("đầu vào `{name}` là {}, nhưng giá trị này là {}", unit(declared), unit(found))
        }
        M::ScoreNotPoints { found } => format!("điểm phải tính bằng điểm, nhưng đây là {}", unit(found)),
        M::AssumeNeedsComparison => "`assume` cần một phép so sánh, ví dụ `assume a <= b`".into(),
        M::PlanItemNoOwner { keyword, id } => format!("{} {id} chưa có cơ quan chủ trì", item_kind(keyword)),
        M::NoDeadline => "chế độ báo cáo này chưa có thời hạn nên `chiso status` không bao giờ liệt kê".into(),
        M::NoSuchDate { why } => format!("ngày này không tồn tại: {}", bad_date(why)),
        M::EmptyPeriod { period, end, start } => format!(
            "kỳ {period} rỗng: kết thúc ngày {} nhưng bắt đầu ngày {}",
            ymd(end),
            ymd(start)
        ),
        M::OutsidePeriod { what, end, start, period_end } => format!(
            "{} này kết thúc ngày {}, ngoài kỳ kế hoạch {}–{}",
            match what.as_str() {
                "period" => "kỳ",
                "deadline" => "thời hạn",
                other => other,
            },
            ymd(end),
            ymd(start),
            ymd(period_end)
        ),
        M::NoPlanTarget { or_target, id } => {
            format!("không có {} `{id}`", if *or_target { "chỉ số hoặc mục tiêu" } else { "chỉ số" })
        }
        M::GivenTwice { word } => format!("`{word}` được ghi hai lần"),
        M::LevelGivenTwice { name } => format!("mức `{name}` được ghi hai lần"),
        M::TargetMeasuresNumber { found } => format!("mục tiêu đo bằng một số, nhưng đây là {}", unit(found)),
        M::TargetUnit { measure, what, found } => {
            format!("mục tiêu đo bằng {}, nhưng `{what}` này là {}", unit(measure), unit(found))
        }
        M::InputUnusedInValue { name } => format!("đầu vào `{name}` không được dùng trong `value`"),
        M::InputUnused { name } => format!("đầu vào `{name}` không được sử dụng"),
        M::TargetConstant { what } => {
            format!("`{what}` của mục tiêu phải là một số, ví dụ `84%` hoặc `20659`")
        }
        M::ScoreAbove { score, max, witness } => format!(
            "điểm có thể đạt {} điểm, vượt điểm tối đa {}, ví dụ khi {}",
            num(score),
            num(max),
            witness_inputs(witness)
        ),
        M::ScoreNegative { score, witness } => {
            format!("điểm có thể âm ({}), ví dụ khi {}", num(score), witness_inputs(witness))
        }
        M::WrongDirection { more, name, witness } => {
            let way = if *more { "giảm" } else { "tăng" };
            format!("điểm {way} khi `{name}` tăng: {}", witness_pair(witness, name))
        }
        M::SearchCutShort => "quy tắc quá lớn để tìm hết các đầu vào làm điểm vượt điểm tối đa, âm hoặc đi sai chiều; các kiểm tra này chưa làm trọn".into(),
        M::TooComplex { steps } => format!("các kiểm tra chính sách (giới hạn, các mức, tính đơn điệu, phép chia) cần hơn {steps} bước với quy tắc này nên đã bỏ qua"),
        M::ArmNeverApplies { shown } => {
            format!("mức này không bao giờ được áp dụng: không giá trị hợp lệ nào của `{shown}` rơi vào")
        }
        M::NoArmMatches { shown, value } => format!(
            "không mức nào ứng với `{shown}` = {}; giá trị như vậy làm chỉ số không tính được điểm",
            num(value)
        ),
        M::ArmsOverlap { shown, value, first, second } => format!(
            "mức này và một mức phía trên cùng ứng với `{shown}` = {}, cho kết quả khác nhau ({} và {}); mức phía trên được áp dụng",
            num(value),
            num(first),
            num(second)
        ),
        M::ScoreJumps { jump, shown, at, below, above } => format!(
            "điểm nhảy {} tại `{shown}` = {}: ngay dưới ngưỡng được {}, tại ngưỡng được {}",
            num(jump),
            num(at),
            num(below),
            num(above)
        ),
        M::DenominatorZero { expr } => {
            format!("mẫu số `{expr}` có thể bằng 0, và quy tắc không nói khi đó điểm là bao nhiêu")
        }
        M::NotValidUtf16 => "tệp không đúng mã UTF-16".into(),
        M::NotValidUtf8 { byte } => format!("tệp không đúng mã UTF-8 (byte {byte})"),
        M::HeaderColumns => {
            "dòng tiêu đề phải có các cột `Mã đơn vị`, `Chỉ số`, `Đầu vào` và `Giá trị` (hoặc `unit`, `indicator`, `input` và `value`)".into()
        }
        M::CsvHeaderColumns => "dòng tiêu đề của tệp CSV phải có các cột `Mã đơn vị`, `Chỉ số`, `Đầu vào` và `Giá trị` (hoặc `unit`, `indicator`, `input` và `value`)".into(),
        M::ColumnNotInput { name } => format!(
            "cột `{name}` không phải đầu vào của chỉ số nào (viết `6.12.a`: mã chỉ số, rồi tên đầu vào); cột này bị bỏ qua"
        ),
        M::HeaderNoInputs => "dòng tiêu đề có cột `unit` nhưng không có các cột `indicator`, `input` và `value`, cũng không có cột đầu vào như `6.12.a`".into(),
        M::RowFields { found, header, more: 0 } => format!("dòng này có {found} ô, nhưng dòng tiêu đề có {header} cột"),
        M::RowFields { found, header, more } => format!(
            "dòng này có {found} ô, nhưng dòng tiêu đề có {header} cột; {} dòng sau đó cũng không có đúng {header} ô",
            count(*more)
        ),
        M::RowNeedsUnitAnd { plan } => format!(
            "mỗi dòng cần có đơn vị và {}",
            if *plan { "mã mục tiêu hoặc nhiệm vụ" } else { "mã chỉ số" }
        ),
        M::RowNeedsUnit => "mỗi dòng cần có đơn vị".into(),
        M::CellsNotReported { count: n } => format!(
            "{} ô ghi N/A hoặc -: được hiểu là không báo cáo, không bao giờ là 0; các chỉ số cần các ô này không tính được điểm",
            count(*n)
        ),
        M::QuoteNeverClosed => {
            "dấu nháy này mở một ô nhưng không được đóng: phần còn lại của tệp sẽ bị đọc thành một giá trị".into()
        }
        M::BadValue { at, unit, id, input, value, ty, why } => format!(
            "{}đơn vị {unit}, {id} / {input}: {} không phải {} hợp lệ: {}",
            at_prefix(at),
            cell(value),
            self::unit(ty),
            bad_value(why)
        ),
        M::OutsideBounds { at, unit, id, input, value, why } => {
            let why = match why {
                Bound::Positive => "đầu vào được khai báo `positive` nên không thể bằng 0".to_string(),
                Bound::AtLeast(lo) => format!("đầu vào được khai báo `at_least {lo}`"),
                Bound::AtMost(hi) => format!("đầu vào được khai báo `at_most {hi}`"),
            };
            format!(
                "{}đơn vị {unit}, {id} / {input}: {} nằm ngoài miền giá trị của đầu vào: {why}",
                at_prefix(at),
                num(value)
            )
        }
        M::ReportedTwice { at, unit, id, input } => {
            format!("{}đơn vị {unit}, {id} / {input} được báo cáo hai lần", at_prefix(at))
        }
        M::RowReportedTwice { at, unit, count: n } => format!(
            "{}đơn vị {unit} có thêm một dòng: {} giá trị của đơn vị được báo cáo hai lần",
            at_prefix(at),
            count(*n)
        ),
        M::ReportedTwiceAt { unit, id, input, line, column } => {
            format!("đơn vị {unit}, {id} / {input} được báo cáo hai lần (lần đầu tại {line}:{column})")
        }
        M::NoInputIgnored { at, id, input, inputs } => format!(
            "{}chỉ số {id} không có đầu vào `{input}` (các đầu vào: {}); giá trị bị bỏ qua",
            at_prefix(at),
            inputs.join(", ")
        ),
        M::NoFieldIgnored { at, section, field } => {
            format!("{}mục {section} không có trường `{field}`; giá trị bị bỏ qua", at_prefix(at))
        }
        M::NoIndicatorIgnored { at, id } => {
            format!("{}bộ chỉ số không có chỉ số `{id}`; giá trị bị bỏ qua", at_prefix(at))
        }
        M::MalformedJson { error } => format!("JSON sai định dạng: {error}"),
        M::JsonShape => "tệp JSON phải là một đối tượng có đối tượng `units`".into(),
        M::UnitNotObject { unit, plan } => format!(
            "đơn vị `{unit}` phải là một đối tượng gồm các {}",
            if *plan { "mục tiêu và nhiệm vụ" } else { "chỉ số" }
        ),
        M::IdNotObject { unit, id, plan } => {
            format!("`{unit}` / `{id}` phải là một đối tượng gồm các {}", if *plan { "giá trị" } else { "đầu vào" })
        }
        M::JsonValueKind { unit, id, input } => {
            format!("`{unit}` / `{id}` / `{input}` phải là một số, văn bản hoặc true/false")
        }
        M::KeyTwice { key, unit } => {
            let inside = unit.as_ref().map_or("`units`".to_string(), |u| format!("đơn vị `{u}`"));
            format!("`{key}` xuất hiện hai lần trong {inside}; trình đọc JSON sẽ chỉ giữ một")
        }
        M::PlanReportedBy { plan_unit, unit } => {
            format!("kế hoạch do đơn vị `{plan_unit}` báo cáo; dòng của đơn vị `{unit}` bị bỏ qua")
        }
        M::NoPlanItemIgnored { id } => format!("kế hoạch không có mục tiêu hoặc nhiệm vụ `{id}`; giá trị bị bỏ qua"),
        M::TargetReports { id, inputs, input } => format!(
            "mục tiêu {id} báo cáo {} (và `note`), không có `{input}`; giá trị bị bỏ qua",
            quoted_list(inputs)
        ),
        M::NotTaskStatus { unit, id, value } => {
            format!("đơn vị {unit}, nhiệm vụ {id} / status: {} không phải tình trạng nhiệm vụ", cell(value))
        }
        M::NotADateValue { unit, id, value, why } => {
            format!("đơn vị {unit}, nhiệm vụ {id} / done_on: {} không phải ngày: {}", cell(value), bad_date(why))
        }
        M::TaskNoInput { id, input } => format!(
            "nhiệm vụ {id} không có đầu vào `{input}` (nhiệm vụ báo cáo `status`, `done_on` và `note`); giá trị bị bỏ qua"
        ),
        M::XlsxUnreadable { error } => format!("không đọc được sổ tính .xlsx: {error}"),
        M::SheetUnreadable { sheet, error } => format!("không đọc được trang tính `{sheet}`: {error}"),
        M::DataTooLarge { bytes, max } => format!(
            "tệp dữ liệu có {} byte, vượt quá {} byte (4 GiB) mà một tệp dữ liệu được phép có; hãy ghi mỗi đơn vị một dòng (unit,6.12.a,…: nhỏ hơn nhiều lần so với unit,indicator,input,value) và chỉ giữ các cột bộ chỉ số cần đọc; chia các đơn vị ra nhiều tệp sẽ làm sai điểm tính theo cả nhóm (min-max, thứ hạng)",
            num(&Num::from_i64(i64::try_from(*bytes).unwrap_or(i64::MAX))),
            num(&Num::from_i64(i64::try_from(*max).unwrap_or(i64::MAX)))
        ),
        M::SheetTooLarge { sheet, last, max } => format!(
            "trang tính `{sheet}` trải từ A1 đến {last}, quá {} ô; hãy xóa các ô thừa ở xa vùng dữ liệu, hoặc xuất dữ liệu ra CSV",
            num(&Num::from_i64(i64::try_from(*max).unwrap_or(i64::MAX)))
        ),
        M::NoHeaderSheet { rows } => format!(
            "không trang tính nào có dòng tiêu đề với cột `unit` trong {rows} dòng đầu (unit,indicator,input,value, hoặc unit,6.12.a,…)"
        ),
        M::UnitNotInRoster { unit, count: count_ } => {
            format!("đơn vị `{unit}` không thuộc {} đơn vị được khai báo trong bộ chỉ số", count(*count_))
        }
        M::TotalsRow { unit } => format!(
            "`{unit}` là dòng tổng cộng, không phải một đơn vị: nếu được chấm điểm, dòng này sẽ làm sai giá trị nhỏ nhất, lớn nhất và thứ hạng của cả nhóm"
        ),
        M::MoreNotInRoster { more, count: all } => {
            format!("còn {} đơn vị khác không thuộc {} đơn vị được khai báo trong bộ chỉ số", count(*more), count(*all))
        }
        M::SilentUnits { units, more } => format!(
            "{} đơn vị đã khai báo không gửi dữ liệu: {}{}; các đơn vị này không được chấm điểm và xếp hạng",
            count(units.len() + more),
            units.iter().map(|(c, t)| format!("`{c}`{}", titled(t))).collect::<Vec<_>>().join(", "),
            if *more > 0 { format!(" và {} đơn vị khác", count(*more)) } else { String::new() }
        ),
        M::SparseUnit { unit, reported, total } => {
            format!("đơn vị `{unit}` mới báo cáo {reported}/{total} đầu vào")
        }
        M::MoreSparse { more, total } => {
            format!("còn {} đơn vị khác báo cáo chưa đến một nửa trong {total} đầu vào", count(*more))
        }
        M::ContradictsAssume { unit, id, assumption, values } => {
            format!("đơn vị {unit}, chỉ số {id}: số liệu trái với giả định `assume {assumption}` ({values})")
        }
        M::MoreContradictAssume { id, more, first } => format!(
            "còn {} đơn vị khác có số liệu trái với giả định `assume` của chỉ số {id} (đầu tiên: {first}); điểm của \
             từng đơn vị đều được đánh dấu (`contradicted_assumption`)",
            count(*more)
        ),
        M::NoGivenForUnit { unit } => format!("không có `given` cho đơn vị \"{unit}\""),
        M::TestExpectedStatus { want, got } | M::TestExpectedValue { want, got } => {
            format!("kết quả mong đợi {want}, thực tế {}", test_got(got))
        }
        M::TestExpectedNumber => "kết quả mong đợi phải là một số".into(),
        M::AsOfFar { as_of, days, before, edge } => {
            let why = if *before {
                format!("{days} ngày trước khi kỳ kế hoạch bắt đầu ({})", ymd(edge))
            } else {
                format!("{days} ngày sau khi kỳ kế hoạch kết thúc ({})", ymd(edge))
            };
            format!("tình hình được tính tại ngày {}, {why}", ymd(as_of))
        }
        M::InvalidCharExpected { ch, wanted } => {
            format!("ký tự không hợp lệ `{ch}`, cần {}", self::wanted(wanted))
        }
        M::UnterminatedString => "chuỗi chưa đóng: thiếu dấu `\"` đóng trên dòng này".into(),
        M::ExpectedFound { wanted, found } => format!("cần {}, nhưng gặp {}", self::wanted(wanted), self::found(found)),
        M::TooDeepNesting { max } => format!("lồng nhau quá {max} cấp"),
        M::TooDeepChain { max } => format!("biểu thức có hơn {max} phép toán lồng nhau"),
        M::InvalidOperator { written } => format!("ký tự không hợp lệ `{written}` trong biểu thức"),
        M::NumberTooLong { max } => format!("số có quá {max} chữ số"),
        M::NotANumber { text } => format!("`{text}` không phải là số"),
        M::IdNotNumber { text } => format!("`{text}` là một mã, không phải là số"),
    }
}

/// A label's text.
pub(super) fn note(n: &Note) -> String {
    match n {
        Note::FirstDeclaredHere => "khai báo lần đầu ở đây".into(),
        Note::RulebookDeclaresItHere => "bộ chỉ số đã khai báo ở đây".into(),
        Note::DeclaredHere { name } => format!("`{name}` được khai báo ở đây"),
        Note::AlsoIgnored { more: 0 } => "ở đây cũng bị bỏ qua".into(),
        Note::AlsoIgnored { more } => format!("ở đây cũng bị bỏ qua, và ở {} chỗ khác nữa", count(*more)),
        Note::FirstGivenHere => "ghi lần đầu ở đây".into(),
        Note::TheFilesPlan => "kế hoạch của tệp".into(),
        Note::OtherIndicatorWithId => "chỉ số kia có mã này".into(),
        Note::AnotherCohortComparison => "một phép so sánh giữa các đơn vị khác".into(),
        Note::Unit(u) => unit(u),
        Note::Score => "điểm".into(),
        Note::EarlierArm => "mức phía trên".into(),
        Note::ArmJustBelow => "mức ngay dưới ngưỡng".into(),
        Note::CanBeZero => "có thể bằng 0".into(),
    }
}

/// A hint.
pub(super) fn hint(h: &Hint) -> String {
    use Hint as H;
    match h {
        H::DidYouMean { best } => format!("có phải ý là `{best}`?"),
        H::IdReadAsNumber { typed, meant } => format!(
            "có phải ý là chỉ số `{meant}`? Excel đọc mã `{meant}` thành số {typed}: hãy định dạng cột chỉ số là Text (Văn bản) rồi nhập lại mã"
        ),
        H::OwnId => "đặt cho mỗi khai báo một mã riêng".into(),
        H::WriteLocale => "ghi `locale vi` (6,03 và 20.659) hoặc `locale en` (6.03)".into(),
        H::OnePlanPerFile => "mỗi kế hoạch đặt trong một tệp riêng".into(),
        H::RemoveAgency => "xóa khai báo này: kế hoạch dùng nguyên các cơ quan của bộ chỉ số".into(),
        H::ReportToAuthors => {
            "văn bản gốc đánh cùng một số cho hai chỉ số; đề nghị báo lại cơ quan ban hành văn bản".into()
        }
        H::DeclareAgency { name } => format!("khai báo cơ quan: `agency {name} \"<tên đầy đủ>\"`"),
        H::DeclareWithInputOrLet => "khai báo bằng `input` hoặc `let` trước khi dùng".into(),
        H::PillarMaximaAddUp => "điều chỉnh điểm tối đa các trụ cột cho tổng bằng thang điểm của chỉ số tổng hợp".into(),
        H::IndicatorMaxima { maxima } => {
            let parts = maxima.iter().map(|(id, m)| format!("{id}: {}", num(m))).collect::<Vec<_>>().join("; ");
            format!("điểm tối đa các chỉ số: {parts}")
        }
        H::NoRecursion => {
            "Chiso không có đệ quy để mọi quy tắc đều tính xong; hãy viết từng bước bằng `when`".into()
        }
        H::FewerCalls => "tính bằng ít bước hơn: giảm số hàm gọi lồng vào nhau".into(),
        H::FewerStepsOrSplit => "tính bằng ít bước hơn, hoặc tách chỉ số thành các chỉ số thành phần".into(),
        H::AddOwner => "thêm `owner <cơ quan>` (Cơ quan phụ trách)".into(),
        H::AddMax => "thêm `max <số điểm>` (Điểm tối đa)".into(),
        H::AddScore => "thêm `score = …`, hoặc đánh dấu `not_scored` (không chấm điểm)".into(),
        H::MultiplyByMax => "nhân tỷ lệ với `max`, ví dụ `ratio * max`".into(),
        H::UseInScore => "dùng đầu vào trong `score` hoặc một `let`, hoặc xóa đi".into(),
        H::DefaultInsideBounds => "đơn vị không báo cáo đầu vào này sẽ được chấm với một giá trị không đơn vị nào báo cáo được; chọn giá trị mặc định trong miền đã khai báo".into(),
        H::OwnDataComparison => "so sánh giữa các đơn vị trên giá trị tính từ số liệu của chính từng đơn vị".into(),
        H::PassMaxAsArgument => "truyền điểm tối đa vào hàm như một đối số".into(),
        H::WhenIsForNumbers => "dùng `match` cho giá trị lựa chọn và `if` cho có/không".into(),
        H::MatchIsForChoices => "dùng `when` cho số và `if` cho có/không".into(),
        H::WriteRange { low, high } => format!("viết `in {low}..{high}`"),
        H::AddArmPerOption => "thêm một nhánh cho mỗi lựa chọn, hoặc một nhánh `else`".into(),
        H::PreludeFunction { name, params } => {
            format!("`{name}({params})` là hàm có sẵn (stdlib/prelude.chiso)")
        }
        H::DeclaredAs { name, params, count } => {
            format!("`{name}` được khai báo là `fn {name}({params})`: gọi với {count} đối số")
        }
        H::CallCohortDirectly => "gọi trực tiếp trong `score` hoặc `let` của chỉ số".into(),
        H::PartLabel => "viết `part(\"Triển khai\", …)`".into(),
        H::DivideByTotal => "chia cho một tổng để được tỷ lệ, ví dụ `budget / total_budget`".into(),
        H::ScalePoints => "nhân điểm với một tỷ lệ hoặc một số, ví dụ `ratio * max`".into(),
        H::BarePercentBound { text, shown } => format!(
            "có phải ý là `{text}%`? Cạnh một tỷ lệ phần trăm, số không có `%` là phân số (0,8 = 80%); viết `{shown}%` nếu đúng là {}%",
            num(shown)
        ),
        H::PercentIsFraction => "tỷ lệ phần trăm đã là phân số của 1: nhân với `max` (`ratio * max`) để được phần tương ứng của điểm tối đa".into(),
        H::CompareIt => "hãy so sánh, ví dụ `ratio >= 80%`".into(),
        H::AddPlanOwner => {
            "thêm `owner <cơ quan>` (cơ quan chủ trì): nếu không, không cơ quan nào tính mục này vào tổng của mình".into()
        }
        H::AddDue => "thêm `due quarterly before day 25 of last month`, `due yearly before 12-20`, …".into(),
        H::RealDate => "ghi một ngày có thật: `2024`, `2024-10`, `Q4/2024` hoặc `2024-10-15`".into(),
        H::EarlierDateFirst { first, second } => format!("ghi ngày sớm hơn trước: `{first}..{second}`"),
        H::CorrectDate => "sửa lại ngày, hoặc chuyển mục này sang kế hoạch của kỳ đó".into(),
        H::NoIndicatorsInFile => {
            "tệp không khai báo chỉ số nào: đặt kế hoạch cạnh bộ chỉ số và ghi `rulebook \"…\"` trong kế hoạch".into()
        }
        H::OnePerItem { keyword, word } => format!("mỗi `{keyword}` chỉ có một `{word}`"),
        H::UseNumericMeasure => "dùng `count`, `number`, `percent`, `money` hoặc `points`".into(),
        H::MeasureUnit => "ghi giá trị theo đơn vị tính của mục tiêu, ví dụ `84%` cho tỷ lệ phần trăm".into(),
        H::UseInValue => "dùng đầu vào trong `value` hoặc một `let`, hoặc xóa đi".into(),
        H::ComputeValue => "tính giá trị của mục tiêu từ các đầu vào: `value = …`".into(),
        H::LowerBoundFirst { low, high } => format!("ghi cận dưới trước: `in {low}..{high}`"),
        H::CapIt => "giới hạn bằng `min(…, max)` hoặc sửa quy tắc; khi tính điểm, điểm được giới hạn ở điểm tối đa và giá trị gốc vẫn được hiển thị".into(),
        H::WrapInMaxZero => "bọc trong `max(0, …)` hoặc sửa quy tắc; khi tính điểm, điểm được ghi 0 và giá trị gốc vẫn được hiển thị".into(),
        H::DirectionFix { more } => {
            let fix = if *more {
                "đánh dấu `neutral` hoặc `lower_is_better` nếu giá trị lớn hơn không tốt hơn"
            } else {
                "bỏ `lower_is_better` nếu giá trị lớn hơn là tốt hơn"
            };
            format!("đầu vào được hiểu là càng lớn càng tốt nếu không khai báo khác; {fix}")
        }
        H::SplitLongTable => "các mức và giới hạn đã được kiểm tra; tách bảng quá dài thành các chỉ số hoặc hàm nhỏ hơn để kiểm tra được phần còn lại".into(),
        H::WriteMoreDirectly => "mỗi `let` hoặc hàm dùng kết quả trước đó nhiều lần làm khối lượng kiểm tra tăng gấp đôi; hãy viết giá trị trực tiếp hơn (ví dụ `x * 4` thay vì nhân đôi `x` hai lần)".into(),
        H::AlwaysBetween { shown, low, high } => format!(
            "`{shown}` luôn nằm trong khoảng từ {} đến {}: kiểm tra lại ngưỡng của mức và đơn vị tính",
            low.as_ref().map_or("-∞".to_string(), num),
            high.as_ref().map_or("+∞".to_string(), num)
        ),
        H::CheckArmBound => "kiểm tra lại ngưỡng của mức và đơn vị tính".into(),
        H::EarlierArmsMatch => "các mức phía trên đã bao hết giá trị của mức này; sắp xếp lại hoặc xóa đi".into(),
        H::AddElseArm => "thêm nhánh `else` hoặc mở rộng các mức cho phủ hết mọi giá trị".into(),
        H::ExclusiveBands => "cho các mức tách rời nhau, ví dụ `>= 80%` và `< 80%`".into(),
        H::ScaleByThreshold => "nếu điểm phải liên tục, hãy chia theo ngưỡng: `ratio / T * max`".into(),
        H::GuardDivision { expr } => format!(
            "khai báo đầu vào `positive` nếu không bao giờ bằng 0, hoặc xét riêng: `if {expr} == 0 then … else …`"
        ),
        H::ExportUtf16 => "xuất lại trang tính dưới dạng CSV UTF-8 hoặc Unicode text".into(),
        H::SaveCsvUtf8 => "lưu tệp dưới dạng CSV UTF-8 (Excel: File → Save As → CSV UTF-8)".into(),
        H::SaveUtf8 => "lưu tệp với mã UTF-8".into(),
        H::Header { plan: false } => {
            "dòng đầu: Mã đơn vị;Chỉ số;Đầu vào;Giá trị (hoặc unit,indicator,input,value; hoặc mỗi đơn vị một dòng: Mã đơn vị;6.12.a;6.12.b)".into()
        }
        H::Header { plan: true } => "dòng đầu: unit,indicator,input,value (indicator: mã mục tiêu hoặc nhiệm vụ)".into(),
        H::JsonExample { plan: false } => r#"{"units": {"P01": {"3.1": {"a": 6029, "b": 10000}}}}"#.into(),
        H::JsonExample { plan: true } => {
            r#"{"units": {"NT": {"155": {"status": "done", "done_on": "2024-01-10"}}}}"#.into()
        }
        H::LeaveEmpty => "để trống ô nếu muốn nói cùng ý mà không có ghi chú này, hoặc ghi giá trị (0 nếu là 0)".into(),
        H::CloseQuote => "đóng dấu nháy, hoặc xóa đi; dấu nháy bên trong một ô có nháy được viết hai lần (\"\")".into(),
        H::MergeObjects => "gộp hai đối tượng thành một".into(),
        H::WriteUnit { unit } => format!("ghi `{unit}` vào cột đơn vị"),
        H::TaskStatuses => {
            "ghi hoàn thành, đang thực hiện hoặc chưa thực hiện (hoặc done, in_progress, not_started)".into()
        }
        H::SaveXlsx => "lưu sổ tính dưới dạng .xlsx (Excel 2007 trở lên), hoặc xuất trang tính ra CSV UTF-8".into(),
        H::DidYouMeanUnit { best, title } => format!("có phải ý là `{best}`{}?", titled(title)),
        H::DeclareUnit { code } => format!("sửa lại mã, hoặc khai báo đơn vị trong bộ chỉ số: `unit {code} \"…\"`"),
        H::AddRowsOrRemove => {
            "bổ sung các dòng của các đơn vị này vào tệp dữ liệu, hoặc bỏ khỏi danh sách nếu các đơn vị này không báo cáo".into()
        }
        H::TypoOf { unit, best, code } => format!(
            "nếu `{unit}` là `{best}` bị gõ nhầm, hãy sửa mã; khai báo danh sách đơn vị (`unit {code} \"…\"`) sẽ làm mã lạ bị báo lỗi"
        ),
        H::DeleteTotalsRow => "xóa dòng tổng cộng (và các dòng tổng hợp khác) khỏi tệp số liệu: Chiso tự cộng điểm".into(),
        H::DeclareUnits => "các chỉ số thiếu số liệu của đơn vị này không tính được điểm; hãy khai báo danh sách đơn vị (`unit MÃ \"tên\"`) để mã gõ nhầm bị từ chối".into(),
        H::AssumeMarked => {
            "điểm vẫn được tính nhưng có đánh dấu: quy tắc dựa trên giả định này; hãy kiểm tra lại số liệu báo cáo".into()
        }
        H::AsOfBefore => {
            "mọi nhiệm vụ đều hiện là đang mở và chưa mục tiêu nào đến hạn: kiểm tra lại năm của `--as-of`".into()
        }
        H::AsOfAfter => "mọi nhiệm vụ chưa xong đều hiện là quá hạn lâu: kiểm tra lại năm của `--as-of`".into(),
        H::CloseString => "đóng chuỗi bằng `\"` trước khi hết dòng".into(),
        H::SplitWithLet => "tách biểu thức bằng các `let`".into(),
        H::WriteInstead { op, written } => format!("viết `{op}` thay cho `{written}`"),
    }
}

/// A planning item's keyword as staff name it: `target` is a mục tiêu, `task` a nhiệm vụ.
fn item_kind(keyword: &str) -> String {
    match keyword {
        "plan" => "kế hoạch".into(),
        "target" => "mục tiêu".into(),
        "task" => "nhiệm vụ".into(),
        "schedule" => "chế độ báo cáo".into(),
        other => format!("`{other}`"),
    }
}

/// A unit (đơn vị tính) as messages name it.
pub(super) fn unit(u: &Unit) -> String {
    match u {
        Unit::Count => "số đếm".into(),
        Unit::Number => "số".into(),
        Unit::Percent => "tỷ lệ phần trăm".into(),
        Unit::Money => "tiền (tỷ đồng)".into(),
        Unit::Points => "điểm".into(),
        Unit::YesNo => "có/không".into(),
        Unit::Choice(o) => format!("lựa chọn {{ {} }}", o.join(", ")),
        Unit::Text => "văn bản".into(),
        Unit::Date => "ngày".into(),
        Unit::Unknown => "chưa xác định".into(),
    }
}

fn thing(t: Thing) -> &'static str {
    match t {
        Thing::Unit => "đơn vị",
        Thing::Agency => "cơ quan",
        Thing::Section => "mục",
        Thing::Pillar => "trụ cột",
        Thing::Function => "hàm",
        Thing::Test => "kiểm thử",
        Thing::Indicator => "chỉ số",
        Thing::TargetOrTask => "mã mục tiêu hoặc nhiệm vụ",
    }
}

/// A count as a Vietnamese reader writes it: `100.000`.
pub(super) fn count(n: usize) -> String {
    num(&Num::from_i64(i64::try_from(n).unwrap_or(i64::MAX)))
}

/// A number the Vietnamese way: `6,03`, `20.659`, `-1.234,5`.
pub(crate) fn num(n: &Num) -> String {
    let s = n.to_string();
    let (sign, body) = s.strip_prefix('-').map_or(("", s.as_str()), |b| ("-", b));
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let mut out = String::from(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(',');
        out.push_str(frac);
    }
    out
}

/// A value: `0,8`, `80%`, `có`, `"văn bản"`, `lựa chọn`.
fn val(v: &Val) -> String {
    match v {
        Val::Num(n) => num(n),
        Val::Percent(n) => format!("{}%", num(&n.mul(&Num::from_i64(100)))),
        Val::Bool(true) => "có".into(),
        Val::Bool(false) => "không".into(),
        Val::Text(t) => format!("{t:?}"),
        Val::Choice(c) => c.clone(),
    }
}

/// `a = 1, b = 2`.
fn witness_inputs(w: &Witness) -> String {
    w.inputs.iter().map(|(n, v)| format!("{n} = {}", val(v))).collect::<Vec<_>>().join("; ")
}

/// `b = 1 cho 10, b = 2 cho 5 (với a = 1)`.
fn witness_pair(w: &Witness, name: &str) -> String {
    let here = w.inputs.iter().find(|(n, _)| n == name).map(|(_, v)| val(v)).unwrap_or_default();
    let others: Vec<String> =
        w.inputs.iter().filter(|(n, _)| n != name).map(|(n, v)| format!("{n} = {}", val(v))).collect();
    let with = if others.is_empty() { String::new() } else { format!(" (với {})", others.join("; ")) };
    match &w.larger {
        Some((v, s)) => format!("{name} = {here} cho {}; {name} = {} cho {}{with}", num(&w.score), val(v), num(s)),
        None => format!("{name} = {here} cho {}{with}", num(&w.score)),
    }
}

/// `` `a`, `b` ``.
fn quoted_list(items: &[impl AsRef<str>]) -> String {
    items.iter().map(|s| format!("`{}`", s.as_ref())).collect::<Vec<_>>().join(", ")
}

/// `31/10/2024`.
fn ymd(d: &Ymd) -> String {
    format!("{:02}/{:02}/{:04}", d.day, d.month, d.year)
}

/// Why a date does not exist.
pub(super) fn bad_date(b: &BadDate) -> String {
    match b {
        BadDate::YearOutOfRange { year } => format!("năm {year} nằm ngoài khoảng 1–9999"),
        BadDate::NoMonth { month } => format!("không có tháng {month}"),
        BadDate::MonthOfYearDays { month, year, days, leap } => {
            let leap = if *leap { " (không phải năm nhuận)" } else { "" };
            format!("tháng {month}/{year} có {days} ngày{leap}")
        }
        BadDate::NoQuarter { quarter } => format!("không có quý {quarter} (chỉ có quý I đến quý IV)"),
        BadDate::DateFormat => "cần một ngày dạng 2024-05-27 hoặc 27/05/2024".into(),
        BadDate::DayMissing { day, why } => format!("ngày {} không tồn tại: {}", ymd(day), bad_date(why)),
        BadDate::NotADate => "không phải một ngày".into(),
        BadDate::LeapDayYearly => "ngày 29/02 chỉ có trong năm nhuận; viết `before 03-01` hoặc `by 02-28`".into(),
        BadDate::MonthDays { month, days } => format!("tháng {month} có {days} ngày"),
        BadDate::Day31Quarterly => "ngày 31 không có trong tháng 6 và tháng 9, tháng cuối của quý II và quý III".into(),
        BadDate::NoDay { day } => format!("không tháng nào có ngày {day}"),
        BadDate::NotEveryMonth { day } => {
            format!("không phải tháng nào cũng có ngày {day} (tháng 2 có 28 ngày)")
        }
    }
}

/// `Sheet1!B3: ` before a message about a workbook cell; nothing otherwise.
fn at_prefix(at: &Option<String>) -> String {
    at.as_ref().map_or(String::new(), |a| format!("{a}: "))
}

/// A reported cell, quoted.
fn cell(c: &Cell) -> String {
    match c {
        Cell::Text(t) => format!("`{t}`"),
        Cell::Ratio(t) => format!("`{t}` (hiển thị dạng phần trăm)"),
        Cell::Bool(b) => format!("`{b}`"),
    }
}

/// Why a reported value is refused.
fn bad_value(b: &BadValue) -> String {
    match b {
        BadValue::TooManyDigits { max } => format!("quá {max} chữ số"),
        BadValue::ExpectedNumberEn => "cần một số dạng 6.03 (nếu viết 6,03 thì dùng --locale vi hoặc `locale vi`)".into(),
        BadValue::ExpectedNumberVi => "cần một số dạng 6,03 hoặc 20.659".into(),
        BadValue::Ambiguous { vi, en } => format!(
            "không rõ nghĩa: là {} theo cách viết Việt Nam (`,` ngăn phần thập phân, `.` ngăn hàng nghìn) nhưng là {} theo cách viết tiếng Anh, \
             và dữ liệu chưa ghi cách viết số; ghi `locale vi` (hoặc `locale en`) trong khối `rulebook {{ … }}` \
             của bộ chỉ số, hoặc chạy với --locale vi (hoặc --locale en)",
            num(vi),
            num(en)
        ),
        BadValue::ExpectedNumberEither => "cần một số dạng 6,03 hoặc 6.03".into(),
        BadValue::ExpectedNumber => "cần một số".into(),
        BadValue::BelowZero { what } => format!(
            "{} không thể nhỏ hơn 0 (nếu thực sự có thể, hãy khai báo `at_least` với cận âm cho đầu vào)",
            unit(what)
        ),
        BadValue::CountWhole => "số đếm phải là số nguyên ≥ 0".into(),
        BadValue::PercentSign { text, ratio } => {
            let hint = match ratio {
                Some(p) => format!("`{p}%` nếu `{text}` là tỷ lệ, hoặc `{text}%`"),
                None => format!("`{text}%`"),
            };
            format!("hãy ghi dấu phần trăm: {hint} (số không có dấu % có thể là tỷ lệ hoặc số phần trăm)")
        }
        BadValue::ExpectedPercent => "cần một tỷ lệ phần trăm dạng 80%".into(),
        BadValue::ExpectedYesNo => "cần có/không (có, không, true, false, yes, no)".into(),
        BadValue::ExpectedOneOf { options } => format!("cần một trong các lựa chọn: {}", options.join(", ")),
    }
}

/// ` (Tỉnh An Phú)` when the unit has a name.
fn titled(title: &Option<String>) -> String {
    title.as_ref().map(|t| format!(" ({t})")).unwrap_or_default()
}

/// What a failed test expectation got.
fn test_got(g: &TestGot) -> String {
    match g {
        TestGot::Value(v) | TestGot::Reason(v) => v.clone(),
        TestGot::Nothing => "không có kết quả".into(),
    }
}

/// What the parser expected.
fn wanted(w: &Wanted) -> String {
    match w {
        Wanted::Tokens(tokens) => {
            let quoted: Vec<String> = tokens.iter().map(|t| format!("`{t}`")).collect();
            match quoted.split_last() {
                Some((last, [])) => last.clone(),
                Some((last, rest)) => format!("{} hoặc {last}", rest.join(", ")),
                None => String::new(),
            }
        }
        Wanted::Word(w) => format!("`{w}`"),
        Wanted::ItemId { keyword } => format!("mã của `{keyword}`"),
        Wanted::ItemTitle { keyword } => format!("tên của `{keyword}`"),
        Wanted::ItemProperty { keyword, props } => {
            format!("một thuộc tính của `{keyword}` ({}) hoặc `}}`", quoted_list(props))
        }
        Wanted::Agency => "một cơ quan".into(),
        Wanted::SourceText => "nội dung nguồn".into(),
        Wanted::NoteText => "nội dung ghi chú".into(),
        Wanted::IndicatorOrTargetId => "mã chỉ số hoặc mục tiêu".into(),
        Wanted::Value => "một giá trị".into(),
        Wanted::ValueName => "tên cho giá trị".into(),
        Wanted::Locale => "cách viết số (`vi` hoặc `en`)".into(),
        Wanted::UnitsFile => "tệp danh sách đơn vị, ví dụ \"units.chiso\"".into(),
        Wanted::PlanUnit => "mã đơn vị như trong tệp dữ liệu, ví dụ \"NT\"".into(),
        Wanted::UnitCode => "mã đơn vị".into(),
        Wanted::UnitCodeAsData => "mã đơn vị như các dòng dữ liệu ghi".into(),
        Wanted::TestTitle => "tên kiểm thử".into(),
        Wanted::SectionTitle => "tên mục".into(),
        Wanted::SectionId => "mã mục".into(),
        Wanted::RulebookTitle => "tên bộ chỉ số".into(),
        Wanted::RulebookFile => "tệp bộ chỉ số, ví dụ \"dti-2022.chiso\"".into(),
        Wanted::PillarTitle => "tên trụ cột".into(),
        Wanted::PillarId => "mã trụ cột".into(),
        Wanted::InputName => "tên đầu vào (ví dụ `a`)".into(),
        Wanted::IndicatorTitle => "tên chỉ số".into(),
        Wanted::IndicatorIdDecl => "mã chỉ số (ví dụ `3.1`)".into(),
        Wanted::PrintedIdPlan => "mã như in trong văn bản gốc, ví dụ \"A.I.1\"".into(),
        Wanted::PrintedId => "mã như in trong văn bản gốc, ví dụ \"6.2\"".into(),
        Wanted::GroupHeading => "tiêu đề nhóm".into(),
        Wanted::FunctionName => "tên hàm".into(),
        Wanted::FieldTitle => "tên trường".into(),
        Wanted::FieldId => "mã trường".into(),
        Wanted::AgencyShortName => "tên viết tắt của cơ quan".into(),
        Wanted::AgencyFullName => "tên đầy đủ của cơ quan".into(),
        Wanted::NoSecondComparison => "không có phép so sánh thứ hai (viết `a <= b and b <= c`)".into(),
        Wanted::OptionName => "tên một lựa chọn".into(),
        Wanted::OptionOrElse => "tên một lựa chọn hoặc `else`".into(),
        Wanted::InputOrField => "tên đầu vào hoặc trường".into(),
        Wanted::IndicatorOrSection => "mã chỉ số hoặc mục".into(),
        Wanted::ExpectTarget => "mã chỉ số, `pillar ID`, `total` hoặc `index`".into(),
        Wanted::IndicatorId => "mã chỉ số (ví dụ `3.3`)".into(),
        Wanted::Arm => "một mức (`>= value`, `< value`, `== value`, `in low..high` hoặc `else`)".into(),
        Wanted::Literal => "một giá trị (số, chuỗi, `true`, `false` hoặc tên lựa chọn)".into(),
        Wanted::Type => "một kiểu (`count`, `number`, `percent`, `money`, `points`, `yes_no`, `text`, `date`, `choice { … }`)".into(),
        Wanted::Str => "một chuỗi".into(),
        Wanted::PillarIdRef => "mã trụ cột".into(),
        Wanted::ParamName => "tên tham số".into(),
        Wanted::LevelName => "tên cấp (ví dụ `tinh`)".into(),
        Wanted::DayOfYear => "ngày trong năm dạng tháng-ngày, ví dụ `12-20`".into(),
        Wanted::DayOfMonth => "ngày trong tháng (1 đến 31)".into(),
        Wanted::Date => "một ngày (`2024`, `2024-10`, `Q4/2024`, `2024-10-15`, hoặc như văn bản ghi: `Quý IV/2024`, `Tháng 10/2024`, `Năm 2024`, `15/10/2024`)".into(),
        Wanted::Bound => "một ngưỡng (`>= value`, `<= value`, `== value`, `in low..high`, …)".into(),
        Wanted::Item => "một khai báo (`rulebook`, `agency`, `unit`, `section`, `pillar`, `indicator`, `fn`, `test`, `plan`, `target`, `task` hoặc `schedule`)".into(),
        Wanted::IndicatorProperty => "một thuộc tính của chỉ số (`max`, `owner`, `cooperating`, `input`, `assume`, `let`, `score`, `note`, `source_id`, `not_scored`, `indicator`) hoặc `}`".into(),
        Wanted::Deadline => "một thời hạn (ngày như `2022-10`, `Q4/2022`, `2024` hoặc `2022-10-15`, hoặc `ongoing`, `yearly`, `quarterly`, `monthly`)".into(),
    }
}

/// What the parser found instead.
fn found(f: &Found) -> String {
    match f {
        Found::Eof => "cuối tệp".into(),
        Found::InvalidChar(c) => format!("ký tự không hợp lệ `{c}`"),
        Found::Keyword(k) => format!("từ khóa `{k}`"),
        Found::Name(n) => format!("tên `{n}`"),
        Found::Str => "một chuỗi".into(),
        Found::Number(n) => format!("số `{n}`"),
        Found::Token(t) => format!("`{t}`"),
    }
}
